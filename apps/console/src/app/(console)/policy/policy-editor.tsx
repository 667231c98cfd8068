'use client';

import type {
  PolicyOverride,
  PolicySettings,
  PolicySettingsOverride,
  PolicyVersionView,
  RecallableType,
  RequireReason,
  SimulationResult,
} from '@retract/contracts';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { describedBy, Field } from '../../../components/field';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import {
  addOverrideField,
  bestUnit,
  getField,
  humanDuration,
  OVERRIDE_FIELDS,
  overrideFields,
  PAYMENTS,
  RANGES,
  RECALLABLE,
  setField,
  targetKey,
  UNIT_SECONDS,
  validatePolicy,
  type Errors,
  type OverrideField,
  type Unit,
} from './policy-model';

type T = Dictionary['policy'];
type Settings = PolicySettings;

interface Props {
  locale: string;
  current: PolicyVersionView;
  t: T;
  table: Dictionary['table'];
}

/**
 * The policy form: every setting with live validation, overrides, a simulation of the draft over
 * the last N days, and saving as a new version with optimistic concurrency (expectedVersion).
 */
export function PolicyEditor({ locale, current, t }: Props) {
  const router = useRouter();
  const [settings, setSettings] = useState<Settings>(() => structuredClone(current.settings));
  const [overrides, setOverrides] = useState<PolicyOverride[]>(() => structuredClone(current.overrides));
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [conflictVersion, setConflictVersion] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [touched, setTouched] = useState(false);

  const errors = useMemo(() => ({ ...validatePolicy(settings, overrides, t), ...serverErrors }), [settings, overrides, serverErrors, t]);
  const dirty = JSON.stringify({ settings, overrides }) !== JSON.stringify({ settings: current.settings, overrides: current.overrides });
  const invalid = Object.keys(validatePolicy(settings, overrides, t)).length > 0;

  // Leaving with unsaved changes asks first (a reload or closing the tab).
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  function update(next: Settings) {
    setSettings(next);
    setServerErrors({});
    setTouched(true);
  }
  function updateOverrides(next: PolicyOverride[]) {
    setOverrides(next);
    setServerErrors({});
    setTouched(true);
  }

  async function save() {
    if (invalid || !dirty) return;
    setSaving(true);
    setProblem(null);
    setConflictVersion(null);
    const res = await callApi<PolicyVersionView>('/api/v1/policy', { method: 'PUT', body: { expectedVersion: current.version, settings, overrides } });
    if (res.ok) {
      router.replace(`/policy?saved=${res.data.version}`, { scroll: false });
      router.refresh();
      return;
    }
    setSaving(false);
    if (res.problem.code === 'VERSION_CONFLICT' || res.status === 409) {
      const latest = await callApi<PolicyVersionView>('/api/v1/policy');
      setConflictVersion(latest.ok ? latest.data.version : current.version + 1);
      return;
    }
    const fieldErrors: Errors = {};
    for (const error of res.problem.errors ?? []) fieldErrors[error.field.replace(/^body\./, '')] = error.message;
    setServerErrors(fieldErrors);
    setProblem(res.problem);
  }

  const e = (path: string) => (touched || Object.keys(serverErrors).length ? errors[path] : undefined);

  return (
    <div className="stack policy">
      <section className="card" aria-labelledby="defaults-title" data-testid="policy-defaults">
        <h2 id="defaults-title" className="card__title">
          {t.defaultsTitle}
        </h2>
        <div className="form-grid form-grid--wide">
          <DurationField
            id="windowSeconds"
            label={t.window}
            hint={t.windowHint}
            seconds={settings.windowSeconds}
            max={RANGES.windowSeconds[1]}
            error={e('settings.windowSeconds')}
            locale={locale}
            t={t}
            onChange={(v) => update({ ...settings, windowSeconds: v })}
          >
            {settings.windowSeconds === 0 ? <span className="badge badge--warning">{t.windowOff}</span> : null}
          </DurationField>
          <NumberField
            id="graceSeconds"
            label={t.grace}
            hint={t.graceHint}
            value={settings.graceSeconds}
            min={0}
            max={30}
            suffix={t.unitSeconds}
            error={e('settings.graceSeconds')}
            onChange={(v) => update({ ...settings, graceSeconds: v })}
          />
        </div>

        <TypesField id="recallableTypes" types={settings.recallableTypes} t={t} onChange={(types) => update({ ...settings, recallableTypes: types })} />
        {settings.windowSeconds > 0 && settings.recallableTypes.length === 0 ? <p className="notice notice--warning">{t.pickType}</p> : null}

        <div className="form-grid form-grid--wide">
          <fieldset className="fieldset">
            <legend>{t.reEdit}</legend>
            <label className="check">
              <input type="checkbox" checked={settings.editAfterRecall} onChange={(ev) => update({ ...settings, editAfterRecall: ev.target.checked })} />
              {t.reEditLabel}
            </label>
            <DurationField
              id="reEditWindowSeconds"
              label={t.reEditWindow}
              hint={t.reEditWindowHint}
              seconds={settings.reEditWindowSeconds}
              max={86_400}
              disabled={!settings.editAfterRecall}
              error={e('settings.reEditWindowSeconds')}
              locale={locale}
              t={t}
              onChange={(v) => update({ ...settings, reEditWindowSeconds: v })}
            />
          </fieldset>
          <fieldset className="fieldset">
            <legend>{t.batch}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={settings.batchRecall.enabled}
                onChange={(ev) => update({ ...settings, batchRecall: { ...settings.batchRecall, enabled: ev.target.checked } })}
              />
              {t.batchLabel}
            </label>
            <NumberField
              id="maxBatch"
              label={t.maxBatch}
              hint={t.maxBatchHint}
              value={settings.batchRecall.maxBatch}
              min={1}
              max={100}
              disabled={!settings.batchRecall.enabled}
              error={e('settings.batchRecall.maxBatch')}
              onChange={(v) => update({ ...settings, batchRecall: { ...settings.batchRecall, maxBatch: v } })}
            />
          </fieldset>
          <fieldset className="fieldset">
            <legend>{t.reason}</legend>
            <ReasonField
              id="requireReason"
              mode={settings.requireReason}
              after={settings.reasonAfterSeconds}
              error={e('settings.reasonAfterSeconds')}
              locale={locale}
              t={t}
              onChange={(mode, after) =>
                update(setField(setField(settings, 'requireReason', mode), 'reasonAfterSeconds', mode === 'AFTER_SECONDS' ? after : undefined))
              }
            />
          </fieldset>
          <div className="stack stack--tight">
            <NumberField
              id="maxRecallsPerHour"
              label={t.rate}
              hint={t.rateHint}
              value={settings.maxRecallsPerHour}
              min={0}
              max={10_000}
              error={e('settings.maxRecallsPerHour')}
              onChange={(v) => update({ ...settings, maxRecallsPerHour: v })}
            />
          </div>
        </div>
      </section>

      <Overrides
        overrides={overrides}
        defaults={settings}
        errors={touched || Object.keys(serverErrors).length ? errors : {}}
        locale={locale}
        t={t}
        onChange={updateOverrides}
      />

      <Simulation settings={settings} overrides={overrides} invalid={invalid} t={t} locale={locale} />

      <div className="savebar" role="region" aria-label={t.save}>
        <div className="savebar__status" aria-live="polite">
          {dirty ? <span className="badge badge--warning">{t.unsaved}</span> : null}
          {dirty && invalid ? <span className="field__error">{t.invalid}</span> : null}
        </div>
        <div className="form-actions">
          <button
            type="button"
            className="button button--quiet"
            disabled={!dirty || saving}
            onClick={() => {
              setSettings(structuredClone(current.settings));
              setOverrides(structuredClone(current.overrides));
              setServerErrors({});
              setProblem(null);
              setTouched(false);
            }}
          >
            {t.discard}
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="policy-save"
            disabled={!dirty || invalid || saving}
            aria-busy={saving}
            onClick={() => void save()}
          >
            {saving ? t.saving : t.save}
          </button>
        </div>
      </div>
      {conflictVersion !== null ? (
        <div className="alert alert--error" role="alert" data-testid="policy-conflict">
          <p className="alert__message">{format(t.conflict, { version: conflictVersion })}</p>
          <div>
            <button type="button" className="button button--quiet" onClick={() => router.refresh()}>
              {t.loadLatest}
            </button>
          </div>
        </div>
      ) : null}
      <ProblemAlert problem={problem} testId="policy-problem" />
    </div>
  );
}

// ---------------------------------------------------------------------------
// Inputs

function FieldShell(props: { id: string; label: string; hint?: string; error?: string; children: ReactNode; note?: ReactNode }) {
  return <Field {...props} errorRole="alert" />;
}

/** Parses what was typed; anything that is not a number becomes NaN, which validation names. */
const parse = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function NumberField(props: {
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
    if (parse(text) !== value && Number.isFinite(value)) setText(String(value));
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
            onChange(parse(ev.target.value));
          }}
        />
        {suffix ? <span className="input-suffix">{suffix}</span> : null}
      </div>
    </FieldShell>
  );
}

function DurationField(props: {
  id: string;
  label: string;
  hint?: string;
  seconds: number;
  max: number;
  disabled?: boolean;
  error?: string;
  locale: string;
  t: T;
  onChange: (seconds: number) => void;
  children?: ReactNode;
}) {
  const { id, label, hint, seconds, max, disabled, error, locale, t, onChange, children } = props;
  const [unit, setUnit] = useState<Unit>(() => bestUnit(Number.isFinite(seconds) ? seconds : 0));
  const [text, setText] = useState(() => (Number.isFinite(seconds) ? String(seconds / UNIT_SECONDS[bestUnit(seconds)]) : ''));
  const emit = (value: string, u: Unit) => {
    const n = parse(value);
    onChange(Number.isFinite(n) ? Math.round(n * UNIT_SECONDS[u] * 1000) / 1000 : Number.NaN);
  };
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
          max={max / UNIT_SECONDS[unit]}
          step="any"
          value={text}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(ev) => {
            setText(ev.target.value);
            emit(ev.target.value, unit);
          }}
        />
        <label htmlFor={`${id}-unit`} className="visually-hidden">
          {format(t.unitOf, { field: label })}
        </label>
        <select
          id={`${id}-unit`}
          className="field__input"
          value={unit}
          disabled={disabled}
          onChange={(ev) => {
            const next = ev.target.value as Unit;
            setUnit(next);
            emit(text, next);
          }}
        >
          <option value="seconds">{t.unitSeconds}</option>
          <option value="minutes">{t.unitMinutes}</option>
          <option value="hours">{t.unitHours}</option>
        </select>
      </div>
    </FieldShell>
  );
}

function TypesField({ id, types, t, onChange }: { id: string; types: readonly RecallableType[]; t: T; onChange: (types: RecallableType[]) => void }) {
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

function ReasonField({
  id,
  mode,
  after,
  error,
  locale,
  t,
  onChange,
}: {
  id: string;
  mode: RequireReason;
  after?: number;
  error?: string;
  locale: string;
  t: T;
  onChange: (mode: RequireReason, after?: number) => void;
}) {
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
          label={t.reasonAfter}
          seconds={after ?? 60}
          max={86_400}
          error={error}
          locale={locale}
          t={t}
          onChange={(v) => onChange(mode, v)}
        />
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------
// Overrides

type TargetChoice = 'GROUP' | 'DIRECT' | 'CONVERSATION';

function targetName(override: PolicyOverride, t: T): string {
  if (override.target.kind === 'CONVERSATION_KIND') return override.target.conversationKind === 'GROUP' ? t.targetGroup : t.targetDirect;
  return override.target.label ? `“${override.target.label}”` : `${t.targetConversation} ${override.target.conversationId.slice(0, 8)}`;
}

function Overrides({
  overrides,
  defaults,
  errors,
  locale,
  t,
  onChange,
}: {
  overrides: PolicyOverride[];
  defaults: Settings;
  errors: Errors;
  locale: string;
  t: T;
  onChange: (next: PolicyOverride[]) => void;
}) {
  const [choice, setChoice] = useState<TargetChoice>('GROUP');
  const taken = new Set(overrides.map(targetKey));

  function add() {
    const target: PolicyOverride['target'] =
      choice === 'CONVERSATION' ? { kind: 'CONVERSATION', conversationId: '' } : { kind: 'CONVERSATION_KIND', conversationKind: choice };
    onChange([...overrides, { target, settings: { windowSeconds: defaults.windowSeconds } }]);
  }

  return (
    <section className="card" aria-labelledby="overrides-title" data-testid="policy-overrides">
      <h2 id="overrides-title" className="card__title">
        {t.overridesTitle}
      </h2>
      <p className="card__text">{t.overridesLead}</p>
      {overrides.length === 0 ? <p className="muted">{t.noOverrides}</p> : null}
      <div className="stack">
        {overrides.map((override, index) => {
          const prefix = `overrides.${index}`;
          const replace = (next: PolicyOverride) => onChange(overrides.map((o, i) => (i === index ? next : o)));
          const fields = overrideFields(override.settings);
          const free = OVERRIDE_FIELDS.filter((f) => !fields.includes(f));
          return (
            <article key={index} className="override" aria-label={format(t.overrideFor, { target: targetName(override, t) })}>
              <div className="override__head">
                <h3 className="override__title">{format(t.overrideFor, { target: targetName(override, t) })}</h3>
                <button type="button" className="button button--quiet button--small" onClick={() => onChange(overrides.filter((_, i) => i !== index))}>
                  {t.removeOverride}
                </button>
              </div>
              {errors[`${prefix}.target`] ? <p className="field__error">{errors[`${prefix}.target`]}</p> : null}
              {override.target.kind === 'CONVERSATION' ? (
                <div className="form-grid">
                  <FieldShell
                    id={`${prefix}-conversation`}
                    label={t.conversationId}
                    error={errors[`${prefix}.target.conversationId`] ? t.conversationId : undefined}
                  >
                    <input
                      id={`${prefix}-conversation`}
                      className="field__input"
                      value={override.target.conversationId}
                      spellCheck={false}
                      onChange={(ev) =>
                        replace({
                          ...override,
                          target: { ...override.target, kind: 'CONVERSATION', conversationId: ev.target.value.trim() },
                        })
                      }
                    />
                  </FieldShell>
                  <FieldShell id={`${prefix}-label`} label={t.conversationLabel} hint={t.conversationLabelHint}>
                    <input
                      id={`${prefix}-label`}
                      className="field__input"
                      maxLength={120}
                      value={override.target.label ?? ''}
                      onChange={(ev) => {
                        const target = { ...override.target } as Extract<PolicyOverride['target'], { kind: 'CONVERSATION' }>;
                        if (ev.target.value.trim()) target.label = ev.target.value;
                        else delete target.label;
                        replace({ ...override, target });
                      }}
                    />
                  </FieldShell>
                </div>
              ) : null}
              <div className="form-grid form-grid--wide">
                {fields.map((field) => (
                  <OverrideSetting
                    key={field}
                    id={`${prefix}-${field}`}
                    field={field}
                    settings={override.settings}
                    error={field === 'requireReason' ? errors[`${prefix}.settings.reasonAfterSeconds`] : errors[`${prefix}.settings.${field}`]}
                    locale={locale}
                    t={t}
                    onChange={(next) => replace({ ...override, settings: next })}
                  />
                ))}
              </div>
              {errors[`${prefix}.settings`] ? <p className="field__error">{errors[`${prefix}.settings`]}</p> : null}
              {free.length > 0 ? (
                <div className="override__add">
                  <label htmlFor={`${prefix}-add`} className="visually-hidden">
                    {t.addField}
                  </label>
                  <select
                    id={`${prefix}-add`}
                    className="field__input"
                    value=""
                    onChange={(ev) => {
                      if (ev.target.value) replace({ ...override, settings: addOverrideField(override.settings, ev.target.value as OverrideField, defaults) });
                    }}
                  >
                    <option value="">{t.addField}</option>
                    {free.map((f) => (
                      <option key={f} value={f}>
                        {t.fields[f]}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
            </article>
          );
        })}
      </div>
      <div className="form-actions override__new">
        <label htmlFor="override-target" className="field__label">
          {t.addFor}
        </label>
        <select id="override-target" className="field__input field__input--auto" value={choice} onChange={(ev) => setChoice(ev.target.value as TargetChoice)}>
          <option value="GROUP" disabled={taken.has('KIND:GROUP')}>
            {t.targetGroup}
          </option>
          <option value="DIRECT" disabled={taken.has('KIND:DIRECT')}>
            {t.targetDirect}
          </option>
          <option value="CONVERSATION">{t.targetConversation}</option>
        </select>
        <button type="button" className="button button--quiet" onClick={add} disabled={choice !== 'CONVERSATION' && taken.has(`KIND:${choice}`)}>
          {t.addOverride}
        </button>
      </div>
    </section>
  );
}

function OverrideSetting({
  id,
  field,
  settings,
  error,
  locale,
  t,
  onChange,
}: {
  id: string;
  field: OverrideField;
  settings: PolicySettingsOverride;
  error?: string;
  locale: string;
  t: T;
  onChange: (next: PolicySettingsOverride) => void;
}) {
  const value = getField(settings, field);
  const set = (v: unknown) => onChange(setField(settings, field, v));
  const remove = (
    <button
      type="button"
      className="link-button override__remove"
      onClick={() => onChange(setField(settings, field, undefined))}
      aria-label={format(t.removeField, { field: t.fields[field] })}
    >
      ×
    </button>
  );
  let control: ReactNode;
  switch (field) {
    case 'windowSeconds':
    case 'reEditWindowSeconds':
      control = <DurationField id={id} label={t.fields[field]} seconds={value as number} max={86_400} error={error} locale={locale} t={t} onChange={set} />;
      break;
    case 'graceSeconds':
      control = <NumberField id={id} label={t.fields[field]} value={value as number} min={0} max={30} suffix={t.unitSeconds} error={error} onChange={set} />;
      break;
    case 'batchRecall.maxBatch':
      control = <NumberField id={id} label={t.fields[field]} value={value as number} min={1} max={100} error={error} onChange={set} />;
      break;
    case 'maxRecallsPerHour':
      control = <NumberField id={id} label={t.fields[field]} value={value as number} min={0} max={10_000} error={error} onChange={set} />;
      break;
    case 'auditRetentionDays':
      control = <NumberField id={id} label={t.fields[field]} value={value as number} min={1} max={3650} suffix={t.unitDays} error={error} onChange={set} />;
      break;
    case 'editAfterRecall':
    case 'batchRecall.enabled':
      control = (
        <div className="field">
          <span className="field__label">{t.fields[field]}</span>
          <label className="check">
            <input id={id} type="checkbox" checked={Boolean(value)} onChange={(ev) => set(ev.target.checked)} />
            {value ? t.yes : t.no}
          </label>
        </div>
      );
      break;
    case 'recallableTypes':
      control = <TypesField id={id} types={value as RecallableType[]} t={t} onChange={set} />;
      break;
    case 'requireReason':
      control = (
        <div className="field">
          <span className="field__label">{t.fields[field]}</span>
          <ReasonField
            id={id}
            mode={value as RequireReason}
            after={settings.reasonAfterSeconds}
            error={error}
            locale={locale}
            t={t}
            onChange={(mode, after) =>
              onChange(setField(setField(settings, 'requireReason', mode), 'reasonAfterSeconds', mode === 'AFTER_SECONDS' ? after : undefined))
            }
          />
        </div>
      );
      break;
  }
  return (
    <div className={`override__field${field === 'recallableTypes' ? ' override__field--wide' : ''}`}>
      {control}
      {remove}
    </div>
  );
}

// ---------------------------------------------------------------------------
// Simulation

function Simulation({ settings, overrides, invalid, t, locale }: { settings: Settings; overrides: PolicyOverride[]; invalid: boolean; t: T; locale: string }) {
  const [days, setDays] = useState(30);
  const [result, setResult] = useState<{ data: SimulationResult; draft: string } | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [running, setRunning] = useState(false);
  const draft = JSON.stringify({ settings, overrides, days });
  const nf = new Intl.NumberFormat(locale);

  async function run() {
    setRunning(true);
    setProblem(null);
    const res = await callApi<SimulationResult>('/api/v1/policy/simulate', { method: 'POST', body: { settings, overrides, days } });
    setRunning(false);
    if (!res.ok) return setProblem(res.problem);
    setResult({ data: res.data, draft });
  }

  const byCode = (counts: Partial<Record<string, number>>) => {
    const entries = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0);
    if (entries.length === 0) return <span className="muted">{t.noneChange}</span>;
    return (
      <ul className="codes">
        {entries.map(([code, n]) => (
          <li key={code}>
            <code>{code}</code> <strong>{nf.format(n ?? 0)}</strong>
          </li>
        ))}
      </ul>
    );
  };

  return (
    <section className="card" aria-labelledby="simulation-title" data-testid="policy-simulation">
      <h2 id="simulation-title" className="card__title">
        {t.previewTitle}
      </h2>
      <p className="card__text">{t.previewLead}</p>
      <div className="form-actions">
        <label htmlFor="simulate-days" className="field__label">
          {t.days}
        </label>
        <input
          id="simulate-days"
          type="number"
          min={1}
          max={90}
          className="field__input field__input--narrow"
          value={days}
          onChange={(ev) => setDays(Math.max(1, Math.min(90, Math.round(Number(ev.target.value) || 30))))}
        />
        <button type="button" className="button button--quiet" onClick={() => void run()} disabled={running || invalid} aria-busy={running}>
          {running ? t.previewing : t.preview}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {result ? (
        <div className="simulation" aria-live="polite" data-testid="simulation-result">
          {result.draft !== draft ? <p className="notice notice--warning">{t.previewStale}</p> : null}
          <p>{format(t.previewResult, { attempts: nf.format(result.data.attempts), days: result.data.days, unchanged: nf.format(result.data.unchanged) })}</p>
          <div className="grid-2">
            <div className="stat stat--danger">
              <p className="stat__label">{t.newlyDenied}</p>
              <p className="stat__value">{nf.format(result.data.newlyDenied.total)}</p>
              {byCode(result.data.newlyDenied.byCode)}
            </div>
            <div className="stat stat--ok">
              <p className="stat__label">{t.newlyAllowed}</p>
              <p className="stat__value">{nf.format(result.data.newlyAllowed.total)}</p>
              {byCode(result.data.newlyAllowed.byCode)}
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
