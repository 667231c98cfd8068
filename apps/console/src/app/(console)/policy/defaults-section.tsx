'use client';

import type { PolicySettings } from '@retract/contracts';
import type { Dictionary } from '../../../i18n/en';
import { DurationField, NumberField, ReasonField, TypesField } from './policy-fields';
import { RANGES, setReasonRule, type Errors } from './policy-model';
import type { DurationDrafts } from './use-policy-form';
import { TitledCard } from '../../../components/titled-card';

/** The organisation's defaults: every setting that applies where no override does. */
export function DefaultsSection({
  settings,
  errors,
  durations,
  locale,
  t,
  onChange,
}: {
  settings: PolicySettings;
  errors: Errors;
  durations: DurationDrafts;
  locale: string;
  t: Dictionary['policy'];
  onChange: (next: PolicySettings) => void;
}) {
  const set = <K extends keyof PolicySettings>(key: K, value: PolicySettings[K]) => onChange({ ...settings, [key]: value });
  return (
    <TitledCard id="defaults-title" title={t.defaultsTitle} testId="policy-defaults">
      <div className="form-grid form-grid--wide">
        <DurationField
          id="windowSeconds"
          path="settings.windowSeconds"
          label={t.window}
          hint={t.windowHint}
          seconds={settings.windowSeconds}
          max={RANGES.windowSeconds[1]}
          error={errors['settings.windowSeconds']}
          durations={durations}
          locale={locale}
          t={t}
          onChange={(v) => set('windowSeconds', v)}
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
          error={errors['settings.graceSeconds']}
          onChange={(v) => set('graceSeconds', v)}
        />
        <NumberField
          id="maxRecallsPerHour"
          label={t.rate}
          hint={t.rateHint}
          value={settings.maxRecallsPerHour}
          min={0}
          max={10_000}
          error={errors['settings.maxRecallsPerHour']}
          onChange={(v) => set('maxRecallsPerHour', v)}
        />
      </div>

      <TypesField id="recallableTypes" types={settings.recallableTypes} t={t} onChange={(types) => set('recallableTypes', types)} />
      {settings.windowSeconds > 0 && settings.recallableTypes.length === 0 ? <p className="notice notice--warning">{t.pickType}</p> : null}

      <div className="form-grid form-grid--wide">
        <fieldset className="fieldset">
          <legend>{t.reEdit}</legend>
          <label className="check">
            <input type="checkbox" checked={settings.editAfterRecall} onChange={(ev) => set('editAfterRecall', ev.target.checked)} />
            {t.reEditLabel}
          </label>
          <DurationField
            id="reEditWindowSeconds"
            path="settings.reEditWindowSeconds"
            label={t.reEditWindow}
            hint={t.reEditWindowHint}
            seconds={settings.reEditWindowSeconds}
            max={RANGES.reEditWindowSeconds[1]}
            disabled={!settings.editAfterRecall}
            error={errors['settings.reEditWindowSeconds']}
            durations={durations}
            locale={locale}
            t={t}
            onChange={(v) => set('reEditWindowSeconds', v)}
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t.batch}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={settings.batchRecall.enabled}
              onChange={(ev) => set('batchRecall', { ...settings.batchRecall, enabled: ev.target.checked })}
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
            error={errors['settings.batchRecall.maxBatch']}
            onChange={(v) => set('batchRecall', { ...settings.batchRecall, maxBatch: v })}
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t.reason}</legend>
          <ReasonField
            id="requireReason"
            path="settings.reasonAfterSeconds"
            mode={settings.requireReason}
            after={settings.reasonAfterSeconds}
            error={errors['settings.reasonAfterSeconds']}
            durations={durations}
            locale={locale}
            t={t}
            onChange={(mode, after) => onChange(setReasonRule(settings, mode, after))}
          />
        </fieldset>
      </div>
    </TitledCard>
  );
}
