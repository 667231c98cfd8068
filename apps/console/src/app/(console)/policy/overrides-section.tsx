'use client';

import type { PolicyOverride, PolicySettings, PolicySettingsOverride, RecallableType, RequireReason } from '@retract/contracts';
import { useState, type ReactNode } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { DurationField, FieldShell, NumberField, ReasonField, TypesField } from './policy-fields';
import {
  addOverrideField,
  getField,
  OVERRIDE_FIELDS,
  overrideFields,
  setField,
  setReasonRule,
  targetKey,
  type Errors,
  type OverrideField,
} from './policy-model';
import type { DurationDrafts } from './use-policy-form';
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['policy'];
type TargetChoice = 'GROUP' | 'DIRECT' | 'CONVERSATION';

function targetName(override: PolicyOverride, t: T): string {
  if (override.target.kind === 'CONVERSATION_KIND') return override.target.conversationKind === 'GROUP' ? t.targetGroup : t.targetDirect;
  return override.target.label ? `“${override.target.label}”` : `${t.targetConversation} ${override.target.conversationId.slice(0, 8)}`;
}

interface Shared {
  errors: Errors;
  durations: DurationDrafts;
  locale: string;
  t: T;
}

/** Settings that differ for one kind of conversation or one named conversation. */
export function OverridesSection({
  overrides,
  defaults,
  onChange,
  ...shared
}: Shared & { overrides: PolicyOverride[]; defaults: PolicySettings; onChange: (next: PolicyOverride[]) => void }) {
  const { t } = shared;
  const [choice, setChoice] = useState<TargetChoice>('GROUP');
  const taken = new Set(overrides.map(targetKey));

  function add() {
    const target: PolicyOverride['target'] =
      choice === 'CONVERSATION' ? { kind: 'CONVERSATION', conversationId: '' } : { kind: 'CONVERSATION_KIND', conversationKind: choice };
    onChange([...overrides, { target, settings: { windowSeconds: defaults.windowSeconds } }]);
  }

  return (
    <TitledCard id="overrides-title" title={t.overridesTitle} lead={t.overridesLead} testId="policy-overrides">
      {overrides.length === 0 ? <p className="muted">{t.noOverrides}</p> : null}
      <div className="stack">
        {overrides.map((override, index) => (
          <OverrideCard
            key={index}
            index={index}
            override={override}
            defaults={defaults}
            onChange={(next) => onChange(overrides.map((o, i) => (i === index ? next : o)))}
            onRemove={() => onChange(overrides.filter((_, i) => i !== index))}
            {...shared}
          />
        ))}
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
    </TitledCard>
  );
}

function OverrideCard({
  index,
  override,
  defaults,
  onChange,
  onRemove,
  ...shared
}: Shared & { index: number; override: PolicyOverride; defaults: PolicySettings; onChange: (next: PolicyOverride) => void; onRemove: () => void }) {
  const { errors, t } = shared;
  const prefix = `overrides.${index}`;
  const fields = overrideFields(override.settings);
  const free = OVERRIDE_FIELDS.filter((f) => !fields.includes(f));
  const name = format(t.overrideFor, { target: targetName(override, t) });
  return (
    <article className="override" aria-label={name}>
      <div className="override__head">
        <h3 className="override__title">{name}</h3>
        <button type="button" className="button button--quiet button--small" onClick={onRemove}>
          {t.removeOverride}
        </button>
      </div>
      {errors[`${prefix}.target`] ? <p className="field__error">{errors[`${prefix}.target`]}</p> : null}
      {override.target.kind === 'CONVERSATION' ? <ConversationTarget prefix={prefix} override={override} errors={errors} t={t} onChange={onChange} /> : null}
      <div className="form-grid form-grid--wide">
        {fields.map((field) => (
          <OverrideSetting
            key={field}
            id={`${prefix}-${field}`}
            prefix={`${prefix}.settings`}
            field={field}
            settings={override.settings}
            onChange={(next) => onChange({ ...override, settings: next })}
            {...shared}
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
              if (ev.target.value) onChange({ ...override, settings: addOverrideField(override.settings, ev.target.value as OverrideField, defaults) });
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
}

function ConversationTarget({
  prefix,
  override,
  errors,
  t,
  onChange,
}: {
  prefix: string;
  override: PolicyOverride;
  errors: Errors;
  t: T;
  onChange: (next: PolicyOverride) => void;
}) {
  if (override.target.kind !== 'CONVERSATION') return null;
  const target = override.target;
  return (
    <div className="form-grid">
      <FieldShell id={`${prefix}-conversation`} label={t.conversationId} error={errors[`${prefix}.target.conversationId`] ? t.conversationId : undefined}>
        <input
          id={`${prefix}-conversation`}
          className="field__input"
          value={target.conversationId}
          spellCheck={false}
          onChange={(ev) => onChange({ ...override, target: { ...target, conversationId: ev.target.value.trim() } })}
        />
      </FieldShell>
      <FieldShell id={`${prefix}-label`} label={t.conversationLabel} hint={t.conversationLabelHint}>
        <input
          id={`${prefix}-label`}
          className="field__input"
          maxLength={120}
          value={target.label ?? ''}
          onChange={(ev) => {
            const next = { ...target };
            if (ev.target.value.trim()) next.label = ev.target.value;
            else delete next.label;
            onChange({ ...override, target: next });
          }}
        />
      </FieldShell>
    </div>
  );
}

function OverrideSetting({
  id,
  prefix,
  field,
  settings,
  onChange,
  errors,
  durations,
  locale,
  t,
}: Shared & {
  id: string;
  /** `overrides.N.settings` */
  prefix: string;
  field: OverrideField;
  settings: PolicySettingsOverride;
  onChange: (next: PolicySettingsOverride) => void;
}) {
  const value = getField(settings, field);
  const set = (v: unknown) => onChange(setField(settings, field, v));
  const error = field === 'requireReason' ? errors[`${prefix}.reasonAfterSeconds`] : errors[`${prefix}.${field}`];
  let control: ReactNode;
  switch (field) {
    case 'windowSeconds':
    case 'reEditWindowSeconds':
      control = (
        <DurationField
          id={id}
          path={`${prefix}.${field}`}
          label={t.fields[field]}
          seconds={value as number}
          max={86_400}
          error={error}
          durations={durations}
          locale={locale}
          t={t}
          onChange={set}
        />
      );
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
            path={`${prefix}.reasonAfterSeconds`}
            mode={value as RequireReason}
            after={settings.reasonAfterSeconds}
            error={error}
            durations={durations}
            locale={locale}
            t={t}
            onChange={(mode, after) => onChange(setReasonRule(settings, mode, after))}
          />
        </div>
      );
      break;
  }
  return (
    <div className={`override__field${field === 'recallableTypes' ? ' override__field--wide' : ''}`}>
      {control}
      <button
        type="button"
        className="link-button override__remove"
        onClick={() => onChange(setField(settings, field, undefined))}
        aria-label={format(t.removeField, { field: t.fields[field] })}
      >
        ×
      </button>
    </div>
  );
}
