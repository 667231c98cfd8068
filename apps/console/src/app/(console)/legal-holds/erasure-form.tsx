'use client';

import { useState, type FormEvent } from 'react';
import { PersonPicker } from '../../../components/person-picker';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import { fieldErrorsOf } from '../../../lib/describe-problem';
import { isUuid } from '../../../lib/params';
import type { ProblemDetails } from '../../../lib/problem';
import { useHoldCoverage } from '../../../lib/use-hold-coverage';
import { HoldState, RefusingHolds } from './hold-state';
import { TextField } from './holds';
import { fieldText } from '../../../lib/form-fields';
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['legalHolds'];

/**
 * Erasure by crypto-shredding. Before it is asked for, the form says whether the chosen person is
 * held and by which holds (the API's coverage, the same rule that refuses erasure); a 409
 * LEGAL_HOLD_ACTIVE is shown in words with the holds that refused it and the recorded refusal.
 * `holdsRevision` changes when a hold is placed or released on the page.
 */
export function ErasureForm({ t, picker, holdsRevision }: { t: T; picker: Dictionary['personPicker']; holdsRevision: string }) {
  const [subject, setSubject] = useState('');
  const [erasures, setErasures] = useState(0);
  // A new picker after each erasure: the form's reset does not reach a chosen person.
  const [done, setDone] = useState(0);
  const coverage = useHoldCoverage(subject.trim() || null, `${holdsRevision}/${erasures}`);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ keysDestroyed: number; auditSeq: number } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const subjectUserId = fieldText(data, 'erasureSubject').trim();
    const reason = fieldText(data, 'reason').trim();
    const next: Record<string, string> = {};
    if (!isUuid(subjectUserId)) next.erasureSubject = t.needPerson;
    if (!reason) next.reason = t.needReason;
    if (!data.get('understand')) next.understand = t.needConfirm;
    setErrors(next);
    setProblem(null);
    setResult(null);
    if (Object.keys(next).length) {
      // Every field's control has the id field-<name> (the person picker's combobox too; its form value is a hidden input).
      document.getElementById(`field-${Object.keys(next)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    const res = await callApi<{ subjectUserId: string; keysDestroyed: number; auditSeq: number }>('/api/v1/erasure-requests', {
      method: 'POST',
      body: { subjectUserId, reason },
    });
    setBusy(false);
    // The person's holds are read again when what was shown may be out of date: they are now erased, or a hold refused it that was not shown.
    const shown = coverage.state === 'done' ? coverage.coverage.holds.map((covering) => covering.hold.id) : [];
    const refusedBy = !res.ok && Array.isArray(res.problem.extensions?.holdIds) ? (res.problem.extensions.holdIds as unknown[]) : [];
    if (res.ok || refusedBy.some((id) => typeof id !== 'string' || !shown.includes(id))) setErasures((count) => count + 1);
    if (!res.ok) {
      setProblem(res.problem);
      const fields = fieldErrorsOf(res.problem);
      setErrors({ ...(fields.subjectUserId ? { erasureSubject: fields.subjectUserId } : {}), ...(fields.reason ? { reason: fields.reason } : {}) });
      return;
    }
    form.reset();
    setSubject('');
    setDone((count) => count + 1);
    setResult(res.data);
  }

  const refused = problem?.code === 'LEGAL_HOLD_ACTIVE';
  const refusedSeq = refused && typeof problem.extensions?.auditSeq === 'number' ? problem.extensions.auditSeq : null;
  const refusingIds =
    refused && Array.isArray(problem.extensions?.holdIds) ? problem.extensions.holdIds.filter((id): id is string => typeof id === 'string') : [];
  return (
    <TitledCard id="erasure-title" title={t.erasureTitle} lead={t.erasureLead}>
      <form className="stack" onSubmit={onSubmit} noValidate data-testid="erasure-form">
        <PersonPicker
          key={done}
          id="field-erasureSubject"
          name="erasureSubject"
          label={t.person}
          hint={t.personHint}
          error={errors.erasureSubject}
          onChange={(person) => {
            setSubject(person?.id ?? '');
            if (person) setErrors(({ erasureSubject: _chosen, ...rest }) => rest);
          }}
          t={picker}
        />
        <HoldState coverage={coverage} t={t.holdState} />
        <TextField name="reason" label={t.reason} hint={t.reasonHint} error={errors.reason} maxLength={500} />
        <div className={`field${errors.understand ? ' field--invalid' : ''}`}>
          <label className="check">
            <input
              id="field-understand"
              type="checkbox"
              name="understand"
              aria-invalid={errors.understand ? true : undefined}
              aria-describedby={errors.understand ? 'understand-error' : undefined}
            />
            {t.understand}
          </label>
          {errors.understand ? (
            <p id="understand-error" className="field__error">
              {errors.understand}
            </p>
          ) : null}
        </div>
        <div data-testid="erasure-result" aria-live="polite">
          <ProblemAlert problem={problem} />
          {refused ? <RefusingHolds holdIds={refusingIds} coverage={coverage} t={t.holdState} /> : null}
          {refusedSeq !== null ? <p className="muted">{format(t.refusedSeq, { seq: refusedSeq })}</p> : null}
          {result ? (
            <p className="notice notice--success" role="status">
              {format(t.erased, { keys: result.keysDestroyed, seq: result.auditSeq })}
            </p>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--danger" disabled={busy} aria-busy={busy}>
            {busy ? t.erasing : t.erase}
          </button>
        </div>
      </form>
    </TitledCard>
  );
}
