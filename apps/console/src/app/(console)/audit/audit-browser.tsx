'use client';

import type { AuditAction, AuditEntryView } from '@retract/contracts';
import { useSearchParams } from 'next/navigation';
import { useCallback, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { ruleLabel, shortId } from '../../../lib/labels';
import type { ProblemDetails } from '../../../lib/problem';
import { useUrlState } from '../../../lib/use-url-state';
import { AuditDetail } from './audit-detail';
import type { AuditFilters } from './_queries';
import { fieldText } from '../../../lib/form-fields';

export interface AuditStrings {
  audit: Dictionary['audit'];
  table: Dictionary['table'];
  auditActions: Dictionary['auditActions'];
  denialCodes: Dictionary['denialCodes'];
  rules: Dictionary['rules'];
}

interface Props {
  locale: string;
  items: AuditEntryView[];
  nextCursor: number | null;
  cursor?: number;
  trail: number[];
  filters: AuditFilters;
  actions: readonly AuditAction[];
  /** SOURCE_PATTERN's source, passed from the server so the browser bundle needs no schema library. */
  sourcePattern: string;
  problem: ProblemDetails | null;
  t: AuditStrings;
}

const ID_FILTERS = ['actor', 'subject', 'conversation', 'message'] as const;
type IdFilter = (typeof ID_FILTERS)[number];

/** Filters, the entry table with keyset paging, and the detail panel of the audit page. */
export function AuditBrowser({ locale, items, nextCursor, cursor, trail, filters, actions, sourcePattern, problem, t }: Props) {
  const { set, pending } = useUrlState();
  const searchParams = useSearchParams();
  const openSeq = parseSeq(searchParams.get('entry'));
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const lastOpener = useRef<number | null>(null);

  const names = new Map<string, string>();
  for (const item of items) if (item.actor) names.set(item.actor.id, item.actor.displayName);
  const nameOf = (id: string) => names.get(id) ?? shortId(id);

  // The open entry lives in the URL (shareable), but opening one must not re-run the page's
  // query: history.pushState updates useSearchParams without a server round trip.
  const openEntry = useCallback((seq: number | null) => {
    const params = new URLSearchParams(window.location.search);
    if (seq === null) params.delete('entry');
    else params.set('entry', String(seq));
    const query = params.toString();
    window.history.pushState(null, '', query ? `?${query}` : window.location.pathname);
  }, []);

  const closeEntry = useCallback(() => {
    openEntry(null);
    const seq = lastOpener.current;
    if (seq !== null) requestAnimationFrame(() => tableRef.current?.querySelector<HTMLButtonElement>(`[data-seq="${seq}"]`)?.focus());
  }, [openEntry]);

  function applyFilters(patch: Partial<Record<keyof AuditFilters, string | undefined>>) {
    set({ ...patch, cursor: undefined, trail: undefined, entry: undefined });
  }

  function onRowKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const buttons = tableRef.current?.querySelectorAll<HTMLButtonElement>('button[data-seq]');
    buttons?.[Math.max(0, Math.min((buttons?.length ?? 1) - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  }

  const first = items[0]?.seq;
  const last = items[items.length - 1]?.seq;
  const hasFilters = Object.values(filters).some(Boolean);

  return (
    <div className="audit">
      <FilterForm filters={filters} actions={actions} sourcePattern={sourcePattern} t={t} onApply={applyFilters} />

      {ID_FILTERS.some((key) => filters[key]) ? (
        <div className="chips" aria-label={t.audit.activeFilters} role="group">
          {ID_FILTERS.filter((key) => filters[key]).map((key) => {
            const label = `${filterLabel(key, t)}: ${key === 'actor' || key === 'subject' ? nameOf(filters[key]!) : shortId(filters[key])}`;
            return (
              <span key={key} className="chip" data-testid={`filter-chip-${key}`}>
                <span title={filters[key]}>{label}</span>
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={format(t.audit.removeFilter, { name: label })}
                  onClick={() => applyFilters({ [key]: undefined })}
                >
                  ×
                </button>
              </span>
            );
          })}
        </div>
      ) : null}

      <ProblemAlert problem={problem} testId="audit-problem" />

      <div className={`table-card card${pending ? ' is-pending' : ''}`} aria-busy={pending}>
        <div className="table-scroll">
          <table className="table" aria-label={t.audit.tableLabel} data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t.audit.columns.seq}</th>
                <th scope="col">{t.audit.columns.time}</th>
                <th scope="col">{t.audit.columns.action}</th>
                <th scope="col">{t.audit.columns.actor}</th>
                <th scope="col">{t.audit.columns.about}</th>
                <th scope="col">{t.audit.columns.flags}</th>
              </tr>
            </thead>
            <tbody ref={tableRef}>
              {items.map((item, index) => (
                <tr
                  key={item.seq}
                  className={openSeq === item.seq ? 'is-selected' : undefined}
                  data-testid="audit-row"
                  onClick={() => ((lastOpener.current = item.seq), openEntry(item.seq))}
                >
                  <td>
                    <button
                      type="button"
                      className="row-button"
                      data-seq={item.seq}
                      aria-label={format(t.audit.open, { seq: item.seq })}
                      aria-expanded={openSeq === item.seq}
                      onClick={(event) => {
                        event.stopPropagation();
                        lastOpener.current = item.seq;
                        openEntry(item.seq);
                      }}
                      onKeyDown={(event) => onRowKey(event, index)}
                    >
                      #{item.seq}
                    </button>
                  </td>
                  <td className="nowrap muted">{formatUtc(locale, item.occurredAt)}</td>
                  <td>
                    <span className={`action action--${actionTone(item.action)}`}>{t.auditActions[item.action] ?? item.action}</span>
                  </td>
                  <td>
                    {item.actor ? (
                      <button
                        type="button"
                        className="link-button"
                        title={format(t.audit.filterByActor, { name: item.actor.displayName })}
                        onClick={(event) => {
                          event.stopPropagation();
                          applyFilters({ actor: item.actor!.id });
                        }}
                      >
                        {item.actor.displayName}
                      </button>
                    ) : item.serviceAccount && item.serviceAccount.id === item.actorId ? (
                      <span title={t.audit.serviceAccount}>{item.serviceAccount.name}</span>
                    ) : (
                      <span className="muted">{item.actorId ? t.table.erasedPerson : t.table.system}</span>
                    )}
                  </td>
                  <td className="cell-about">
                    {item.denialCode ? (
                      <span className="badge badge--danger">
                        {format(t.audit.denied, { code: t.denialCodes[item.denialCode as keyof typeof t.denialCodes] ?? item.denialCode })}
                      </span>
                    ) : null}{' '}
                    {item.decidedBy ? <span className="muted">{ruleLabel(item.decidedBy, t.rules)}</span> : null}
                    {item.reason ? (
                      <span className="cell-reason">“{item.reason}”</span>
                    ) : item.personalData === 'ERASED' ? (
                      <span className="muted">{t.audit.reasonErased}</span>
                    ) : null}
                  </td>
                  <td>
                    <span className="flags">
                      {item.forced ? <span className="badge badge--warning">{t.audit.forced}</span> : null}
                      {item.hasContent ? <span className="badge badge--info">{t.audit.content}</span> : null}
                      {item.source ? (
                        <button
                          type="button"
                          className="badge badge--muted badge-button"
                          data-testid="audit-source"
                          title={
                            item.serviceAccount
                              ? `${format(t.audit.filterBySource, { source: item.source })} · ${t.audit.serviceAccount}: ${item.serviceAccount.name}`
                              : format(t.audit.filterBySource, { source: item.source })
                          }
                          aria-label={`${format(t.audit.sourceOf, { source: item.source })}. ${format(t.audit.filterBySource, { source: item.source })}`}
                          onClick={(event) => {
                            event.stopPropagation();
                            applyFilters({ source: item.source ?? undefined });
                          }}
                        >
                          {item.source}
                        </button>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {items.length === 0 && !problem ? (
          <p className="empty" data-testid="audit-empty">
            {hasFilters ? t.audit.empty : t.audit.emptyLog}
          </p>
        ) : null}
        <div className="pager">
          <p className="pager__info muted" aria-live="polite">
            {first !== undefined && last !== undefined ? format(t.audit.pageOf, { first: last, last: first }) : ''}
          </p>
          <div className="pager__buttons">
            <JumpTo t={t} onJump={(seq) => set({ cursor: seq + 1, trail: undefined, entry: undefined })} />
            <button type="button" className="button button--quiet" disabled={cursor === undefined} onClick={() => set({ cursor: undefined, trail: undefined })}>
              {t.table.newest}
            </button>
            <button
              type="button"
              className="button button--quiet"
              disabled={trail.length === 0}
              onClick={() => {
                const previous = trail[trail.length - 1];
                set({ cursor: previous ? previous : undefined, trail: trail.slice(0, -1).join(',') || undefined });
              }}
            >
              ← {t.table.newer}
            </button>
            <button
              type="button"
              className="button button--quiet"
              data-testid="audit-older"
              disabled={nextCursor === null}
              onClick={() => set({ cursor: nextCursor ?? undefined, trail: [...trail, cursor ?? 0].slice(-50).join(',') })}
            >
              {t.table.older} →
            </button>
          </div>
        </div>
      </div>

      {openSeq !== null ? <AuditDetail key={openSeq} seq={openSeq} locale={locale} t={t} onClose={closeEntry} /> : null}
    </div>
  );
}

function parseSeq(value: string | null): number | null {
  return value && /^\d{1,16}$/.test(value) ? Number(value) : null;
}

function filterLabel(key: IdFilter, t: AuditStrings): string {
  return key === 'actor' ? t.audit.actor : key === 'subject' ? t.audit.subject : key === 'conversation' ? t.audit.conversation : t.audit.message;
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

function FilterForm({
  filters,
  actions,
  sourcePattern,
  t,
  onApply,
}: {
  filters: AuditFilters;
  actions: readonly AuditAction[];
  sourcePattern: string;
  t: AuditStrings;
  onApply: (patch: Partial<Record<keyof AuditFilters, string | undefined>>) => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [sourceError, setSourceError] = useState<string | null>(null);
  // The form shows the URL's filters again after back/forward navigation.
  const key = JSON.stringify(filters);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => fieldText(data, name).trim() || undefined;
    const source = text('source')?.toLowerCase();
    if (source && !new RegExp(sourcePattern).test(source)) return setSourceError(t.audit.sourceInvalid);
    setSourceError(null);
    onApply({ action: text('action'), q: text('q'), from: text('from'), to: text('to'), source });
  }
  return (
    <form key={key} ref={formRef} className="filters card" onSubmit={onSubmit} aria-label={t.audit.filters} role="search">
      <div className="field field--compact">
        <label className="field__label" htmlFor="audit-action">
          {t.audit.action}
        </label>
        <select id="audit-action" name="action" className="field__input" defaultValue={filters.action ?? ''}>
          <option value="">{t.audit.anyAction}</option>
          {actions.map((action) => (
            <option key={action} value={action}>
              {t.auditActions[action] ?? action}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--compact field--grow">
        <label className="field__label" htmlFor="audit-q">
          {t.audit.search}
        </label>
        <input id="audit-q" name="q" type="search" className="field__input" defaultValue={filters.q ?? ''} maxLength={200} aria-describedby="audit-q-hint" />
        <p id="audit-q-hint" className="field__hint">
          {t.audit.searchHint}
        </p>
      </div>
      <div className={`field field--compact${sourceError ? ' field--invalid' : ''}`}>
        <label className="field__label" htmlFor="audit-source">
          {t.audit.source}
        </label>
        <input
          id="audit-source"
          name="source"
          className="field__input"
          defaultValue={filters.source ?? ''}
          maxLength={32}
          autoCapitalize="none"
          spellCheck={false}
          aria-invalid={sourceError ? true : undefined}
          aria-describedby={sourceError ? 'audit-source-hint audit-source-error' : 'audit-source-hint'}
        />
        <p id="audit-source-hint" className="field__hint">
          {t.audit.sourceHint}
        </p>
        {sourceError ? (
          <p id="audit-source-error" className="field__error" role="alert">
            {sourceError}
          </p>
        ) : null}
      </div>
      <DateFilter name="from" label={t.audit.from} value={filters.from} />
      <DateFilter name="to" label={t.audit.to} value={filters.to} />
      <div className="filters__buttons">
        <button type="submit" className="button button--primary">
          {t.table.apply}
        </button>
        <button
          type="button"
          className="button button--quiet"
          onClick={() =>
            onApply({
              action: undefined,
              q: undefined,
              from: undefined,
              to: undefined,
              source: undefined,
              actor: undefined,
              subject: undefined,
              conversation: undefined,
              message: undefined,
            })
          }
        >
          {t.table.reset}
        </button>
      </div>
    </form>
  );
}

function DateFilter({ name, label, value }: { name: 'from' | 'to'; label: string; value?: string }) {
  return (
    <div className="field field--compact">
      <label className="field__label" htmlFor={`audit-${name}`}>
        {label}
      </label>
      <input id={`audit-${name}`} name={name} type="date" className="field__input" defaultValue={value ?? ''} />
    </div>
  );
}

function JumpTo({ t, onJump }: { t: AuditStrings; onJump: (seq: number) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="jump"
      onSubmit={(event) => {
        event.preventDefault();
        if (/^\d{1,16}$/.test(value.trim())) onJump(Number(value.trim()));
      }}
    >
      <label htmlFor="audit-jump" className="visually-hidden">
        {t.audit.jumpTo}
      </label>
      <input
        id="audit-jump"
        className="field__input jump__input"
        inputMode="numeric"
        pattern="[0-9]*"
        placeholder={t.audit.jumpToHint}
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" className="button button--quiet">
        {t.audit.go}
      </button>
    </form>
  );
}
