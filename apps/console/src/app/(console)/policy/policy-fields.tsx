'use client';

import type { RecallableType, RequireReason } from '@retract/contracts';
import { useState, type ReactNode } from 'react';
import { describedBy, Field } from '../../../components/field';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { convertDraft, humanDuration, PAYMENTS, parseNumber, RECALLABLE, UNIT_SECONDS, type DurationDraft, type Unit } from './policy-model';
import type { DurationDrafts } from './use-policy-form';

type T = Dictionary['policy'];

/** The policy form's inputs: numbers, durations with a unit, message types and the reason rule. */

export function FieldShell(props: { id: string; label: string; hint?: string; error?: string; children: ReactNode; note?: ReactNode }) {
  return <Field {...props} errorRole="alert" />;
}

export function NumberField(props: {
  id: string;
  label: string;
  hint?: string;
  value: number;
  min: number;
  max: number;
  suffix?: string;
  note?: string;
  disabled?: boolean;
  error?: string;
  onChange: (value: number) => void;
}) {
  const { id, label, hint, value, min, max, suffix, note, disabled, error, onChange } = props;
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : '');
  // A value set from outside (a reset, a saved version) replaces what was typed, unless it already says the same.
  const [shownValue, setShownValue] = useState(value);
  if (!Object.is(value, shownValue)) {
    setShownValue(value);
    if (parseNumber(text) !== value) setText(Number.isFinite(value) ? String(value) : '');
  }
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} note={note}>
      <div className="input-with-unit">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          className="field__input"
          min={min}
          max={max}
          step={1}
          value={text}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(ev) => {
            setText(ev.target.value);
            onChange(parseNumber(ev.target.value));
          }}
        />
        {suffix ? <span className="input-suffix">{suffix}</span> : null}
      </div>
    </FieldShell>
  );
}

/**
 * A duration typed in seconds, minutes or hours. Controlled by the form (DurationDrafts): the
 * number and unit shown are always the duration the form holds.
 */
export function DurationField(props: {
  id: string;
  /** The field's error path, which keys its draft. */
  path: string;
  label: string;
  hint?: string;
  seconds: number;
  max: number;
  disabled?: boolean;
  error?: string;
  durations: DurationDrafts;
  locale: string;
  t: T;
  onChange: (seconds: number) => void;
  children?: ReactNode;
}) {
  const { id, path, label, hint, seconds, max, disabled, error, durations, locale, t, onChange, children } = props;
  const draft = durations.shown(path, seconds);
  const type = (next: DurationDraft) => onChange(durations.typed(path, next));
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      note={
        Number.isFinite(seconds) && !error ? (
          <>
            = {humanDuration(locale, seconds)} {children}
          </>
        ) : (
          children
        )
      }
    >
      <div className="input-with-unit">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          className="field__input"
          min={0}
          max={max / UNIT_SECONDS[draft.unit]}
          step="any"
          value={draft.text}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(ev) => type({ text: ev.target.value, unit: draft.unit })}
        />
        <label htmlFor={`${id}-unit`} className="visually-hidden">
          {format(t.unitOf, { field: label })}
        </label>
        <select
          id={`${id}-unit`}
          className="field__input"
          value={draft.unit}
          disabled={disabled}
          onChange={(ev) => type(convertDraft(draft, ev.target.value as Unit))}
        >
          <option value="seconds">{t.unitSeconds}</option>
          <option value="minutes">{t.unitMinutes}</option>
          <option value="hours">{t.unitHours}</option>
        </select>
      </div>
    </FieldShell>
  );
}

export function TypesField({ id, types, t, onChange }: { id: string; types: readonly RecallableType[]; t: T; onChange: (types: RecallableType[]) => void }) {
  return (
    <fieldset className="fieldset" id={id} aria-describedby={`${id}-hint`}>
      <legend>{t.types}</legend>
      <p id={`${id}-hint`} className="field__hint">
        {t.typesHint}
      </p>
      <div className="checks">
        {RECALLABLE.map((type) => (
          <label key={type} className="check">
            <input
              type="checkbox"
              checked={types.includes(type)}
              onChange={(ev) => onChange(ev.target.checked ? RECALLABLE.filter((x) => x === type || types.includes(x)) : types.filter((x) => x !== type))}
            />
            {t.typeNames[type]}
          </label>
        ))}
        {PAYMENTS.map((type) => (
          <label key={type} className="check check--disabled">
            <input type="checkbox" checked={false} disabled />
            {t.typeNames[type]} <span className="muted">({t.paymentNever})</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The reason rule; "required for older messages" brings its age threshold. */
export function ReasonField(props: {
  id: string;
  /** The error path of the threshold (`settings.reasonAfterSeconds`). */
  path: string;
  mode: RequireReason;
  after?: number;
  error?: string;
  durations: DurationDrafts;
  locale: string;
  t: T;
  onChange: (mode: RequireReason, after?: number) => void;
}) {
  const { id, path, mode, after, error, durations, locale, t, onChange } = props;
  return (
    <div className="stack stack--tight">
      <label htmlFor={id} className="visually-hidden">
        {t.reason}
      </label>
      <select id={id} className="field__input" value={mode} onChange={(ev) => onChange(ev.target.value as RequireReason, after ?? 60)}>
        {(['NEVER', 'ALWAYS', 'AFTER_SECONDS'] as const).map((m) => (
          <option key={m} value={m}>
            {t.reasonModes[m]}
          </option>
        ))}
      </select>
      {mode === 'AFTER_SECONDS' ? (
        <DurationField
          id={`${id}-after`}
          path={path}
          label={t.reasonAfter}
          seconds={after ?? 60}
          max={86_400}
          error={error}
          durations={durations}
          locale={locale}
          t={t}
          onChange={(v) => onChange(mode, v)}
        />
      ) : null}
    </div>
  );
}
