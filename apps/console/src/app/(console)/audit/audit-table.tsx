'use client';

import type { AuditAction, AuditEntryView } from '@retract/contracts';
import type { KeyboardEvent, RefObject } from 'react';
import { DataTable, type Column } from '../../../components/data-table';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import type { AuditStrings } from './audit-browser';
import { EntryAbout } from './entry-about';
import type { AuditFilters } from './_queries';

type Patch = Partial<Record<keyof AuditFilters, string | undefined>>;

interface Props {
  items: AuditEntryView[];
  locale: string;
  openSeq: number | null;
  /** Shown when the page has no entries; undefined keeps the empty table (a problem is shown above it). */
  empty?: string;
  bodyRef: RefObject<HTMLTableSectionElement | null>;
  onOpen: (seq: number) => void;
  onFilter: (patch: Patch) => void;
  t: AuditStrings;
}

/** The entries of one page, newest first: a row opens its entry; an actor or a source filters by it. */
export function AuditTable({ items, locale, openSeq, empty, bodyRef, onOpen, onFilter, t }: Props) {
  function onRowKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const buttons = bodyRef.current?.querySelectorAll<HTMLButtonElement>('button[data-seq]');
    buttons?.[Math.max(0, Math.min((buttons?.length ?? 1) - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  }

  const columns: Column<AuditEntryView>[] = [
    {
      header: t.audit.columns.seq,
      cell: (item, index) => (
        <button
          type="button"
          className="row-button"
          data-seq={item.seq}
          aria-label={format(t.audit.open, { seq: item.seq })}
          aria-expanded={openSeq === item.seq}
          onClick={(event) => {
            event.stopPropagation();
            onOpen(item.seq);
          }}
          onKeyDown={(event) => onRowKey(event, index)}
        >
          #{item.seq}
        </button>
      ),
    },
    { header: t.audit.columns.time, className: 'nowrap muted', cell: (item) => formatUtc(locale, item.occurredAt) },
    {
      header: t.audit.columns.action,
      cell: (item) => <span className={`action action--${actionTone(item.action)}`}>{t.auditActions[item.action] ?? item.action}</span>,
    },
    { header: t.audit.columns.actor, cell: (item) => <ActorCell item={item} t={t} onFilter={onFilter} /> },
    { header: t.audit.columns.about, className: 'cell-about', cell: (item) => <EntryAbout item={item} locale={locale} t={t} /> },
    { header: t.audit.columns.flags, cell: (item) => <FlagsCell item={item} t={t} onFilter={onFilter} /> },
  ];

  return (
    <DataTable
      columns={columns}
      rows={items}
      rowKey={(item) => item.seq}
      label={t.audit.tableLabel}
      testId="audit-table"
      bodyRef={bodyRef}
      empty={empty}
      emptyTestId="audit-empty"
      rowProps={(item) => ({
        className: openSeq === item.seq ? 'is-selected' : undefined,
        'data-testid': 'audit-row',
        onClick: () => onOpen(item.seq),
      })}
    />
  );
}

function ActorCell({ item, t, onFilter }: { item: AuditEntryView; t: AuditStrings; onFilter: (patch: Patch) => void }) {
  if (item.actor) {
    const actor = item.actor;
    return (
      <button
        type="button"
        className="link-button"
        title={format(t.audit.filterByActor, { name: actor.displayName })}
        onClick={(event) => {
          event.stopPropagation();
          onFilter({ actor: actor.id });
        }}
      >
        {actor.displayName}
      </button>
    );
  }
  if (item.serviceAccount && item.serviceAccount.id === item.actorId) return <span title={t.audit.serviceAccount}>{item.serviceAccount.name}</span>;
  return <span className="muted">{item.actorId ? t.table.erasedPerson : t.table.system}</span>;
}

function FlagsCell({ item, t, onFilter }: { item: AuditEntryView; t: AuditStrings; onFilter: (patch: Patch) => void }) {
  const source = item.source;
  return (
    <span className="flags">
      {item.forced ? <span className="badge badge--warning">{t.audit.forced}</span> : null}
      {item.hasContent ? <span className="badge badge--info">{t.audit.content}</span> : null}
      {source ? (
        <button
          type="button"
          className="badge badge--muted badge-button"
          data-testid="audit-source"
          title={
            item.serviceAccount
              ? `${format(t.audit.filterBySource, { source })} · ${t.audit.serviceAccount}: ${item.serviceAccount.name}`
              : format(t.audit.filterBySource, { source })
          }
          aria-label={`${format(t.audit.sourceOf, { source })}. ${format(t.audit.filterBySource, { source })}`}
          onClick={(event) => {
            event.stopPropagation();
            onFilter({ source });
          }}
        >
          {source}
        </button>
      ) : null}
    </span>
  );
}

function actionTone(action: AuditAction): string {
  switch (action) {
    case 'MESSAGE_RECALLED':
    case 'MESSAGE_REEDITED':
      return 'recall';
    case 'RECALL_DENIED':
    case 'ERASURE_REFUSED':
      return 'denied';
    case 'CONTENT_ERASED':
    case 'RETENTION_SHREDDED':
    case 'RETENTION_SHORTENING_PROPOSED':
    case 'RETENTION_SHORTENING_CANCELLED':
    case 'LEGAL_HOLD_PLACED':
    case 'LEGAL_HOLD_RELEASED':
      return 'legal';
    case 'AUDIT_CONTENT_VIEWED':
    case 'EXPORT_CREATED':
      return 'read';
    default:
      return 'admin';
  }
}
