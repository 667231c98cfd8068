'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ConfirmAction } from '../../../components/confirm-action';
import { describedBy, Field } from '../../../components/field';
import { PersonPicker } from '../../../components/person-picker';
import { ProblemAlert } from '../../../components/problem-alert';
import { SubmitButton } from '../../../components/submit-button';
import { SuccessNotice } from '../../../components/success-notice';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import { shortId } from '../../../lib/labels';
import { isUuid } from '../../../lib/params';
import type { ProblemDetails } from '../../../lib/problem';
import { useFormProblem } from '../../../lib/use-form-problem';
import { useUrlState } from '../../../lib/use-url-state';
import type { HoldFilter, LegalHoldView, Person } from './_queries';
import { fieldText } from '../../../lib/form-fields';
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['legalHolds'];

export function HoldsTable({
  locale,
  holds,
  people,
  show,
  t,
  table,
}: {
  locale: string;
  holds: LegalHoldView[];
  people: Person[];
  show: HoldFilter;
  t: T;
  table: Dictionary['table'];
}) {
  const { set, pending } = useUrlState();
  const router = useRouter();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? shortId(id)) : '');

  async function release(hold: LegalHoldView) {
    setBusy(true);
    setProblem(null);
    const res = await callApi<LegalHoldView>(`/api/v1/legal-holds/${hold.id}`, { method: 'DELETE' });
    setBusy(false);
    setConfirming(null);
    if (!res.ok) return setProblem(res.problem);
    setNotice(format(t.releasedNotice, { matter: hold.matter }));
    router.refresh();
  }

  return (
    <section className="card table-card" aria-labelledby="holds-title">
      <div className="card__head card__head--padded">
        <h2 id="holds-title" className="card__title">
          {t.listLabel}
        </h2>
        <div className="segmented" role="group" aria-label={t.show}>
          {(['active', 'released', 'all'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="segmented__button"
              aria-pressed={show === value}
              onClick={() => set({ show: value === 'active' ? undefined : value }, { replace: true })}
            >
              {t[value]}
            </button>
          ))}
        </div>
      </div>
      <div className="card__body">
        <ProblemAlert problem={problem} />
        <SuccessNotice message={notice} />
      </div>
      <div className={`table-scroll${pending ? ' is-pending' : ''}`}>
        <table className="table" data-testid="holds-table">
          <thead>
            <tr>
              <th scope="col">{t.columns.scope}</th>
              <th scope="col">{t.columns.subject}</th>
              <th scope="col">{t.columns.matter}</th>
              <th scope="col">{t.columns.placed}</th>
              <th scope="col">{t.columns.status}</th>
              <th scope="col">
                <span className="visually-hidden">{t.columns.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {holds.map((hold) => (
              <tr key={hold.id} data-testid="hold-row">
                <td>{t.scopes[hold.scope]}</td>
                <td data-testid="hold-covers">
                  {hold.scope === 'TENANT' ? (
                    t.coversOrganisation
                  ) : hold.scope === 'USER' ? (
                    <span title={hold.subjectUserId ?? ''}>{format(t.coversPerson, { name: nameOf(hold.subjectUserId) })}</span>
                  ) : (
                    <span title={hold.conversationId ?? ''}>{format(t.coversConversation, { id: shortId(hold.conversationId) })}</span>
                  )}
                  {hold.active ? <p className="muted">{t.coverNote[hold.scope]}</p> : null}
                </td>
                <td className="cell-about">{hold.matter}</td>
                <td className="muted">
                  {formatUtc(locale, hold.placedAt)}
                  <br />
                  {format(t.placedBy, { name: nameOf(hold.placedBy) })}
                </td>
                <td>
                  {hold.active ? (
                    <span className="badge badge--warning">{t.statusActive}</span>
                  ) : (
                    <span className="badge badge--muted" title={format(t.releasedOn, { date: formatUtc(locale, hold.releasedAt) })}>
                      {t.statusReleased}
                    </span>
                  )}
                </td>
                <td className="nowrap">
                  {hold.active ? (
                    <ConfirmAction
                      open={confirming === hold.id}
                      question={format(t.releaseConfirm, { matter: hold.matter })}
                      label={t.release}
                      confirmLabel={t.confirmRelease}
                      cancelLabel={table.cancel}
                      busy={busy}
                      onOpen={() => setConfirming(hold.id)}
                      onConfirm={() => void release(hold)}
                      onCancel={() => setConfirming(null)}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {holds.length === 0 ? <p className="empty">{show === 'active' ? t.emptyActive : t.empty}</p> : null}
      </div>
    </section>
  );
}

type Scope = 'USER' | 'CONVERSATION' | 'TENANT';

export function PlaceHoldForm({ t, picker }: { t: T; picker: Dictionary['personPicker'] }) {
  const router = useRouter();
  const [scope, setScope] = useState<Scope>('USER');
  // A new picker after each hold placed: the form's reset does not reach a chosen person.
  const [placedCount, setPlacedCount] = useState(0);
  const { errors, setErrors, problem, setProblem, busy, setBusy, fail } = useFormProblem();
  const [notice, setNotice] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const subjectUserId = fieldText(data, 'subjectUserId').trim();
    const conversationId = fieldText(data, 'conversationId').trim();
    const matter = fieldText(data, 'matter').trim();
    const next: Record<string, string> = {};
    if (scope === 'USER' && !isUuid(subjectUserId)) next.subjectUserId = t.needPerson;
    if (scope === 'CONVERSATION' && !isUuid(conversationId)) next.conversationId = t.needConversation;
    if (!matter) next.matter = t.needMatter;
    setErrors(next);
    setNotice(null);
    setProblem(null);
    if (Object.keys(next).length) {
      // Every field's control has the id field-<name> (the person picker's combobox too; its form value is a hidden input).
      document.getElementById(`field-${Object.keys(next)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    const body = scope === 'USER' ? { scope, subjectUserId, matter } : scope === 'CONVERSATION' ? { scope, conversationId, matter } : { scope, matter };
    const res = await callApi<LegalHoldView>('/api/v1/legal-holds', { method: 'POST', body });
    setBusy(false);
    if (!res.ok) return fail(res.problem);
    form.reset();
    setPlacedCount((count) => count + 1);
    setNotice(format(t.placed, { matter }));
    router.refresh();
  }

  return (
    <TitledCard id="place-hold-title" title={t.placeTitle}>
      <form className="stack" onSubmit={onSubmit} noValidate data-testid="place-hold-form">
        <fieldset className="fieldset">
          <legend>{t.scope}</legend>
          <div className="checks">
            {(['USER', 'CONVERSATION', 'TENANT'] as const).map((value) => (
              <label key={value} className="check">
                <input type="radio" name="scope" value={value} checked={scope === value} onChange={() => setScope(value)} />
                {t.scopes[value]}
              </label>
            ))}
          </div>
        </fieldset>
        {scope === 'USER' ? (
          <PersonPicker
            key={placedCount}
            id="field-subjectUserId"
            name="subjectUserId"
            label={t.person}
            hint={t.personHint}
            error={errors.subjectUserId}
            onChange={(person) => {
              if (person) setErrors(({ subjectUserId: _chosen, ...rest }) => rest);
            }}
            t={picker}
          />
        ) : null}
        {scope === 'CONVERSATION' ? <TextField name="conversationId" label={t.conversation} hint={t.conversationHint} error={errors.conversationId} /> : null}
        <TextField name="matter" label={t.matter} hint={t.matterHint} error={errors.matter} maxLength={500} />
        <ProblemAlert problem={problem} />
        <SuccessNotice message={notice} />
        <div className="form-actions">
          <SubmitButton busy={busy} label={t.place} busyLabel={t.placing} />
        </div>
      </form>
    </TitledCard>
  );
}

export function TextField({
  name,
  label,
  hint,
  error,
  maxLength,
  type = 'text',
  defaultValue,
  autoComplete = 'off',
  onChange,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  maxLength?: number;
  type?: string;
  defaultValue?: string;
  autoComplete?: string;
  onChange?: (value: string) => void;
}) {
  const id = `field-${name}`;
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        type={type}
        className="field__input"
        maxLength={maxLength}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        onChange={onChange ? (event) => onChange(event.currentTarget.value) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Field>
  );
}
