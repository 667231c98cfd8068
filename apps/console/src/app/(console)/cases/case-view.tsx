'use client';

import type { AuditEntryView } from '@retract/contracts';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { CursorPager } from '../../../components/cursor-pager';
import { DayInput } from '../../../components/day-input';
import { personLabel } from '../../../components/email-text';
import { describedBy, Field } from '../../../components/field';
import { PersonPicker, type PickedPerson } from '../../../components/person-picker';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc, utcDayBound } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { withQuery } from '../../../lib/client-api';
import { fieldText } from '../../../lib/form-fields';
import { shortId } from '../../../lib/labels';
import { isUuid } from '../../../lib/params';
import type { ProblemDetails } from '../../../lib/problem';
import { AuditEntry, type Viewer } from '../audit/_detail/audit-detail';
import type { AuditStrings } from '../audit/audit-browser';
import { CaseExport, type CaseQuery } from './case-export';
import { timelinePeople } from './timeline-people';
import type { CaseParams } from './_queries';

export interface CaseStrings {
  cases: Dictionary['cases'];
  picker: Dictionary['personPicker'];
  audit: AuditStrings;
}

interface Props {
  locale: string;
  params: CaseParams;
  query: CaseQuery;
  /** The case person's name and email, when the URL names a person of the organisation. */
  person: { displayName: string; email: string | null } | null;
  /** Null until the URL names a person or a conversation. */
  items: AuditEntryView[] | null;
  nextCursor: number | null;
  problem: ProblemDetails | null;
  viewer: Viewer;
  t: CaseStrings;
}

/** Choosing a case, its timeline (each entry opens in the audit page's panel, verified there), paging and the bundle export. */
export function CaseView({ locale, params, query, person, items, nextCursor, problem, viewer, t }: Props) {
  const c = t.cases;
  const searchParams = useSearchParams();
  const openSeq = parseSeq(searchParams.get('entry'));
  const listRef = useRef<HTMLOListElement>(null);
  const lastOpener = useRef<number | null>(null);

  // The open entry lives in the URL (shareable) without re-running the page's query, as on the audit page.
  const openEntry = useCallback((seq: number | null) => {
    const url = new URLSearchParams(window.location.search);
    if (seq === null) url.delete('entry');
    else url.set('entry', String(seq));
    const text = url.toString();
    window.history.pushState(null, '', text ? `?${text}` : window.location.pathname);
  }, []);
  const closeEntry = useCallback(() => {
    openEntry(null);
    const seq = lastOpener.current;
    if (seq !== null) requestAnimationFrame(() => listRef.current?.querySelector<HTMLButtonElement>(`[data-seq="${seq}"]`)?.focus());
  }, [openEntry]);

  const heading =
    params.person && params.conversation
      ? format(c.caseOfBoth, { name: person?.displayName ?? shortId(params.person), id: shortId(params.conversation) })
      : params.person
        ? format(c.caseOfPerson, { name: person ? personLabel(person) : shortId(params.person) })
        : params.conversation
          ? format(c.caseOfConversation, { id: shortId(params.conversation) })
          : null;
  const here = { person: params.person, conversation: params.conversation, from: params.from, to: params.to };

  return (
    <div className="stack">
      <CaseForm key={JSON.stringify(here)} params={params} t={t} />
      <ProblemAlert problem={problem} testId="case-problem" />
      {items === null ? (
        problem ? null : (
          <p className="notice notice--info">{c.pick}</p>
        )
      ) : (
        <>
          <CaseExport locale={locale} query={query} t={c} />
          <section className="card table-card" aria-labelledby="case-title">
            <div className="card__head card__head--padded">
              <h2 id="case-title" className="card__title" data-testid="case-title">
                {heading}
              </h2>
            </div>
            <ol className="case-timeline" aria-label={c.timeline} ref={listRef} data-testid="case-timeline">
              {items.map((item) => (
                <li key={item.seq} className="case-timeline__item" data-testid="case-entry" data-action={item.action}>
                  <span className="case-timeline__time">{formatUtc(locale, item.occurredAt)}</span>
                  <p className="case-timeline__what">
                    <strong>{t.audit.auditActions[item.action] ?? item.action}</strong> <span className="muted">#{item.seq}</span>
                    {item.forced ? <span className="badge badge--warning">{c.forced}</span> : null}
                  </p>
                  <button
                    type="button"
                    className="button button--quiet"
                    data-seq={item.seq}
                    aria-label={format(c.openEntry, { seq: item.seq })}
                    aria-pressed={openSeq === item.seq}
                    onClick={() => {
                      lastOpener.current = item.seq;
                      openEntry(item.seq);
                    }}
                  >
                    {c.open}
                  </button>
                  <p className="case-timeline__meta">
                    {timelinePeople(item, c)}
                    {item.conversationId ? (
                      <>
                        {' · '}
                        <Link href={withQuery('/cases', { conversation: item.conversationId, from: params.from, to: params.to })} title={item.conversationId}>
                          {format(c.inConversation, { id: shortId(item.conversationId) })}
                        </Link>
                      </>
                    ) : null}
                    {item.reason ? <> · {format(c.reason, { reason: item.reason })}</> : null}
                  </p>
                </li>
              ))}
            </ol>
            {items.length === 0 ? <p className="empty">{c.empty}</p> : null}
            <CursorPager
              label={c.timeline}
              first={params.cursor !== undefined ? { href: withQuery('/cases', here), text: c.newest } : undefined}
              next={nextCursor !== null ? { href: withQuery('/cases', { ...here, cursor: nextCursor }), text: c.older } : undefined}
            />
          </section>
        </>
      )}
      {openSeq !== null ? (
        <AuditEntry
          key={openSeq}
          seq={openSeq}
          listedHasContent={items?.find((item) => item.seq === openSeq)?.hasContent}
          viewer={viewer}
          locale={locale}
          t={t.audit}
          onClose={closeEntry}
        />
      ) : null}
    </div>
  );
}

/** Which case: a person (picked by name), a conversation id, or both, and a period of UTC days. */
function CaseForm({ params, t }: { params: CaseParams; t: CaseStrings }) {
  const c = t.cases;
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const clear = (field: string) => setErrors(({ [field]: _cleared, ...rest }) => rest);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const person = fieldText(data, 'person').trim();
    const conversation = fieldText(data, 'conversation').trim().toLowerCase();
    const from = fieldText(data, 'from').trim();
    const to = fieldText(data, 'to').trim();
    const next: Record<string, string> = {};
    if (!person && !conversation) next.person = c.needSubject;
    if (conversation && !isUuid(conversation)) next.conversation = c.badConversation;
    const day = (value: string) => !value || utcDayBound(value, false) !== undefined;
    if (!day(from)) next.from = c.badDay;
    if (!day(to)) next.to = c.badDay;
    else if (from && to && day(from) && from > to) next.to = c.badPeriod;
    setErrors(next);
    if (Object.keys(next).length) {
      document.getElementById(`case-${Object.keys(next)[0]}`)?.focus();
      return;
    }
    router.push(withQuery('/cases', { person, conversation, from, to }));
  }

  return (
    <form className="card stack" onSubmit={onSubmit} noValidate aria-label={c.choose} data-testid="case-form">
      <div className="grid-2">
        <PersonPicker
          id="case-person"
          name="person"
          label={c.person}
          hint={c.personHint}
          error={errors.person}
          initialId={params.person}
          onChange={(picked: PickedPerson | null) => picked && clear('person')}
          t={t.picker}
        />
        <Field id="case-conversation" label={c.conversation} hint={c.conversationHint} error={errors.conversation}>
          <input
            id="case-conversation"
            name="conversation"
            className="field__input"
            defaultValue={params.conversation ?? ''}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.conversation ? true : undefined}
            aria-describedby={describedBy('case-conversation', c.conversationHint, errors.conversation)}
            onChange={() => clear('conversation')}
          />
        </Field>
        <Field id="case-from" label={c.from} error={errors.from}>
          <DayInput
            id="case-from"
            name="from"
            defaultValue={params.from}
            invalid={errors.from ? true : undefined}
            describedBy={describedBy('case-from', undefined, errors.from)}
            formatMessage={t.audit.table.dayFormat}
          />
        </Field>
        <Field id="case-to" label={c.to} error={errors.to}>
          <DayInput
            id="case-to"
            name="to"
            defaultValue={params.to}
            invalid={errors.to ? true : undefined}
            describedBy={describedBy('case-to', undefined, errors.to)}
            formatMessage={t.audit.table.dayFormat}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary">
          {c.show}
        </button>
      </div>
    </form>
  );
}

function parseSeq(value: string | null): number | null {
  return value && /^\d{1,16}$/.test(value) ? Number(value) : null;
}
