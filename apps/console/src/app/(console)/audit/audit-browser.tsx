'use client';

import type { AuditAction, AuditEntryView } from '@retract/contracts';
import { useSearchParams } from 'next/navigation';
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { DayInput } from '../../../components/day-input';
import { PersonPicker } from '../../../components/person-picker';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { shortId } from '../../../lib/labels';
import type { ProblemDetails } from '../../../lib/problem';
import { useUrlState } from '../../../lib/use-url-state';
import { AuditEntry, type Viewer } from './_detail/audit-detail';
import { AuditPager, pagePosition } from './audit-pager';
import { AuditTable } from './audit-table';
import type { AuditFilters } from './_queries';
import { fieldText } from '../../../lib/form-fields';
import { CompactField, describedBy } from '../../../components/field';

export interface AuditStrings {
  audit: Dictionary['audit'];
  table: Dictionary['table'];
  auditActions: Dictionary['auditActions'];
  denialCodes: Dictionary['denialCodes'];
  rules: Dictionary['rules'];
  roles: Dictionary['roles'];
  policy: Dictionary['policy'];
  personPicker: Dictionary['personPicker'];
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
  /** Entries in the whole log (null when unknown) and entries per page, for the pager's "Entries 51–100 of 1,234". */
  logSize: number | null;
  pageSize: number;
  viewer: Viewer;
  t: AuditStrings;
}

const ID_FILTERS = ['actor', 'subject', 'conversation', 'message'] as const;
type IdFilter = (typeof ID_FILTERS)[number];

/** Filters, the entry table with keyset paging, and the detail panel of the audit page. */
export function AuditBrowser({ locale, items, nextCursor, cursor, trail, filters, actions, sourcePattern, problem, logSize, pageSize, viewer, t }: Props) {
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

  const onOpen = useCallback(
    (seq: number) => {
      lastOpener.current = seq;
      openEntry(seq);
    },
    [openEntry],
  );

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
        <AuditTable
          items={items}
          locale={locale}
          openSeq={openSeq}
          empty={problem ? undefined : hasFilters ? t.audit.empty : t.audit.emptyLog}
          bodyRef={tableRef}
          onOpen={onOpen}
          onFilter={applyFilters}
          t={t}
        />
        <AuditPager
          position={pagePosition({ items, cursor, trail, filtered: hasFilters, logSize, pageSize }, locale, t)}
          atNewest={cursor === undefined}
          hasNewer={trail.length > 0}
          hasOlder={nextCursor !== null}
          onNewest={() => set({ cursor: undefined, trail: undefined })}
          onNewer={() => {
            const previous = trail[trail.length - 1];
            set({ cursor: previous ? previous : undefined, trail: trail.slice(0, -1).join(',') || undefined });
          }}
          onOlder={() => set({ cursor: nextCursor ?? undefined, trail: [...trail, cursor ?? 0].slice(-50).join(',') })}
          onJump={(seq) => set({ cursor: seq + 1, trail: undefined, entry: undefined })}
          t={t}
        />
      </div>

      {openSeq !== null ? (
        <AuditEntry
          key={openSeq}
          seq={openSeq}
          listedHasContent={items.find((item) => item.seq === openSeq)?.hasContent}
          viewer={viewer}
          locale={locale}
          t={t}
          onClose={closeEntry}
        />
      ) : null}
    </div>
  );
}

function parseSeq(value: string | null): number | null {
  return value && /^\d{1,16}$/.test(value) ? Number(value) : null;
}

function filterLabel(key: IdFilter, t: AuditStrings): string {
  return key === 'actor' ? t.audit.actor : key === 'subject' ? t.audit.subject : key === 'conversation' ? t.audit.conversation : t.audit.message;
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
    onApply({ action: text('action'), q: text('q'), from: text('from'), to: text('to'), source, actor: text('actor'), subject: text('subject') });
  }
  return (
    <form key={key} ref={formRef} className="filters card" onSubmit={onSubmit} aria-label={t.audit.filters} role="search">
      <CompactField id="audit-action" label={t.audit.action}>
        <select id="audit-action" name="action" className="field__input" defaultValue={filters.action ?? ''}>
          <option value="">{t.audit.anyAction}</option>
          {actions.map((action) => (
            <option key={action} value={action}>
              {t.auditActions[action] ?? action}
            </option>
          ))}
        </select>
      </CompactField>
      <CompactField id="audit-q" label={t.audit.search} hint={t.audit.searchHint} grow>
        <input id="audit-q" name="q" type="search" className="field__input" defaultValue={filters.q ?? ''} maxLength={200} aria-describedby="audit-q-hint" />
      </CompactField>
      <CompactField id="audit-source" label={t.audit.source} hint={t.audit.sourceHint} error={sourceError ?? undefined}>
        <input
          id="audit-source"
          name="source"
          className="field__input"
          defaultValue={filters.source ?? ''}
          maxLength={32}
          autoCapitalize="none"
          spellCheck={false}
          aria-invalid={sourceError ? true : undefined}
          aria-describedby={describedBy('audit-source', true, sourceError ?? undefined)}
        />
      </CompactField>
      <PersonPicker id="audit-actor" name="actor" label={t.audit.actor} initialId={filters.actor} compact t={t.personPicker} />
      <PersonPicker id="audit-subject" name="subject" label={t.audit.subject} initialId={filters.subject} compact t={t.personPicker} />
      <DateFilter name="from" label={t.audit.from} value={filters.from} formatMessage={t.table.dayFormat} />
      <DateFilter name="to" label={t.audit.to} value={filters.to} formatMessage={t.table.dayFormat} />
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

function DateFilter({ name, label, value, formatMessage }: { name: 'from' | 'to'; label: string; value?: string; formatMessage: string }) {
  return (
    <CompactField id={`audit-${name}`} label={label}>
      <DayInput id={`audit-${name}`} name={name} defaultValue={value} formatMessage={formatMessage} />
    </CompactField>
  );
}
