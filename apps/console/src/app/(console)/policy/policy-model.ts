/**
 * The policy form's pure logic: live validation with the same ranges as the contract
 * (libs/contracts/src/policy.ts — duplicated here as numbers so the page does not ship zod),
 * duration units, override editing and the wording of version diffs. Unit-tested in
 * policy-model.spec.ts.
 */
import type { PolicyOverride, PolicySettings, PolicySettingsOverride } from '@retract/contracts';
import { PAYMENT_TYPES, POLICY_FIELDS, RECALLABLE_TYPES, type PolicyField, type RecallableType } from '@retract/contracts/policy-fields';
import type { Dictionary } from '../../../i18n/en';
import { humanDuration } from '../../../i18n/dates';
import { format } from '../../../i18n/format';

export { humanDuration };

type T = Dictionary['policy'];

export const RECALLABLE: readonly RecallableType[] = RECALLABLE_TYPES;
export const PAYMENTS = PAYMENT_TYPES;
/** Retention is compliance's (the retention panel), not a field administrators set in the policy form. */
export const OVERRIDE_FIELDS = POLICY_FIELDS.filter((field) => field !== 'auditRetentionDays');
export type OverrideField = PolicyField;

/** Inclusive ranges of the numeric settings (DESIGN §3). */
export const RANGES = {
  windowSeconds: [0, 86_400],
  graceSeconds: [0, 30],
  reEditWindowSeconds: [0, 86_400],
  'batchRecall.maxBatch': [1, 100],
  reasonAfterSeconds: [0, 86_400],
  maxRecallsPerHour: [0, 10_000],
  auditRetentionDays: [1, 3650],
} as const;
type RangedField = keyof typeof RANGES;

export type Errors = Record<string, string>;

/** The unit a duration field shows for a value, by error path (`settings.windowSeconds`). */
export type UnitOf = (path: string, seconds: number) => Unit;

const DURATION_FIELDS = new Set<RangedField>(['windowSeconds', 'reEditWindowSeconds', 'reasonAfterSeconds']);

/** A number for messages: 0.6 / 60 is 0.01, not 0.009999999999999998. */
const tidy = (n: number) => Number(n.toPrecision(12));

function checkNumber(errors: Errors, path: string, field: RangedField, value: unknown, t: T, unitOf: UnitOf) {
  if (value === undefined) return;
  const [min, max] = RANGES[field];
  if (DURATION_FIELDS.has(field)) return checkDuration(errors, path, value, min, max, t, unitOf(path, typeof value === 'number' ? value : Number.NaN));
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) errors[path] = t.wholeNumber;
  else if (value < min || value > max) {
    const unit = field === 'graceSeconds' ? t.unitSeconds : field === 'auditRetentionDays' ? t.unitDays : null;
    errors[path] = unit ? format(t.outOfRangeIn, { min, max, unit }) : format(t.outOfRange, { min, max });
  }
}

/** A duration's errors say what the field shows: "between 0 and 24 hours", not "0 and 86400". */
function checkDuration(errors: Errors, path: string, value: unknown, min: number, max: number, t: T, unit: Unit) {
  const unitName = unitLabel(unit, t);
  const inUnit = (seconds: number) => tidy(seconds / UNIT_SECONDS[unit]);
  if (typeof value !== 'number' || !Number.isFinite(value)) errors[path] = t.enterNumber;
  else if (value < min || value > max) errors[path] = format(t.outOfRangeIn, { min: inUnit(min), max: inUnit(max), unit: unitName });
  else if (!Number.isInteger(value)) errors[path] = format(t.wholeSeconds, { value: inUnit(value), unit: unitName, seconds: tidy(value) });
}

export function unitLabel(unit: Unit, t: T): string {
  return unit === 'hours' ? t.unitHours : unit === 'minutes' ? t.unitMinutes : t.unitSeconds;
}

function checkSettings(errors: Errors, prefix: string, s: Partial<PolicySettings> | PolicySettingsOverride, t: T, unitOf: UnitOf) {
  checkNumber(errors, `${prefix}.windowSeconds`, 'windowSeconds', s.windowSeconds, t, unitOf);
  checkNumber(errors, `${prefix}.graceSeconds`, 'graceSeconds', s.graceSeconds, t, unitOf);
  checkNumber(errors, `${prefix}.reEditWindowSeconds`, 'reEditWindowSeconds', s.reEditWindowSeconds, t, unitOf);
  checkNumber(errors, `${prefix}.batchRecall.maxBatch`, 'batchRecall.maxBatch', s.batchRecall?.maxBatch, t, unitOf);
  if (s.requireReason === 'AFTER_SECONDS') {
    checkNumber(errors, `${prefix}.reasonAfterSeconds`, 'reasonAfterSeconds', s.reasonAfterSeconds ?? Number.NaN, t, unitOf);
  }
  checkNumber(errors, `${prefix}.maxRecallsPerHour`, 'maxRecallsPerHour', s.maxRecallsPerHour, t, unitOf);
  checkNumber(errors, `${prefix}.auditRetentionDays`, 'auditRetentionDays', s.auditRetentionDays, t, unitOf);
}

/** Field errors keyed like the API's (`settings.windowSeconds`, `overrides.0.settings.graceSeconds`). */
export function validatePolicy(
  settings: PolicySettings,
  overrides: PolicyOverride[],
  t: T,
  unitOf: UnitOf = (_path, seconds) => draftOf(seconds).unit,
): Errors {
  const errors: Errors = {};
  checkSettings(errors, 'settings', settings, t, unitOf);
  const seen = new Set<string>();
  overrides.forEach((override, index) => {
    const prefix = `overrides.${index}`;
    checkSettings(errors, `${prefix}.settings`, override.settings, t, unitOf);
    if (overrideFields(override.settings).length === 0) errors[`${prefix}.settings`] = t.noFields;
    if (override.target.kind === 'CONVERSATION' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(override.target.conversationId)) {
      errors[`${prefix}.target.conversationId`] = t.conversationId;
    }
    const key = targetKey(override);
    if (seen.has(key)) errors[`${prefix}.target`] = t.duplicateTarget;
    seen.add(key);
  });
  return errors;
}

export function targetKey(override: PolicyOverride): string {
  return override.target.kind === 'CONVERSATION_KIND'
    ? `KIND:${override.target.conversationKind}`
    : `CONVERSATION:${override.target.conversationId.toLowerCase()}`;
}

// ---------------------------------------------------------------------------
// Durations

export type Unit = 'seconds' | 'minutes' | 'hours';
export const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600 };

/** The largest unit that shows `seconds` exactly (120 → 2 minutes, 90 → 90 seconds). */
export function bestUnit(seconds: number): Unit {
  if (seconds > 0 && seconds % 3600 === 0) return 'hours';
  if (seconds > 0 && seconds % 60 === 0) return 'minutes';
  return 'seconds';
}

/** What a duration field shows: the text as typed and its unit. */
export interface DurationDraft {
  text: string;
  unit: Unit;
}

/** Parses what was typed; anything that is not a number becomes NaN, which validation names. */
export const parseNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The seconds a draft stands for (NaN when it is not a number). */
export function draftSeconds(draft: DurationDraft): number {
  const n = parseNumber(draft.text);
  return Number.isFinite(n) ? Math.round(n * UNIT_SECONDS[draft.unit] * 1000) / 1000 : Number.NaN;
}

/** The same duration in another unit: 2 minutes become 120 seconds, never 2 seconds. What is not a number stays as typed. */
export function convertDraft(draft: DurationDraft, unit: Unit): DurationDraft {
  const seconds = draftSeconds(draft);
  return Number.isFinite(seconds) ? { text: String(tidy(seconds / UNIT_SECONDS[unit])), unit } : { text: draft.text, unit };
}

/** How a saved duration is shown: in the largest unit that shows it exactly. */
export function draftOf(seconds: number): DurationDraft {
  if (!Number.isFinite(seconds)) return { text: '', unit: 'seconds' };
  const unit = bestUnit(seconds);
  return { text: String(seconds / UNIT_SECONDS[unit]), unit };
}

/**
 * What a duration field shows for `seconds`: the draft being typed while it stands for exactly
 * that value, else the value itself. A field never shows one duration while the form holds another.
 */
export function shownDraft(draft: DurationDraft | undefined, seconds: number): DurationDraft {
  return draft && Object.is(draftSeconds(draft), seconds) ? draft : draftOf(seconds);
}

// ---------------------------------------------------------------------------
// Overrides

export function overrideFields(s: PolicySettingsOverride): OverrideField[] {
  return OVERRIDE_FIELDS.filter((field) => getField(s, field) !== undefined);
}

export function getField(s: Partial<PolicySettings> | PolicySettingsOverride, field: OverrideField): unknown {
  if (field === 'batchRecall.enabled') return s.batchRecall?.enabled;
  if (field === 'batchRecall.maxBatch') return s.batchRecall?.maxBatch;
  return (s as Record<string, unknown>)[field];
}

/** A copy of `s` with `field` set to `value` (`undefined` removes it; `requireReason` carries `reasonAfterSeconds`). */
export function setField<S extends Partial<PolicySettings> | PolicySettingsOverride>(s: S, field: OverrideField | 'reasonAfterSeconds', value: unknown): S {
  const next = structuredClone(s) as Record<string, unknown> & { batchRecall?: Record<string, unknown> };
  if (field === 'batchRecall.enabled' || field === 'batchRecall.maxBatch') {
    const key = field.split('.')[1];
    const batch = { ...(next.batchRecall ?? {}) };
    if (value === undefined) delete batch[key];
    else batch[key] = value;
    if (Object.keys(batch).length === 0) delete next.batchRecall;
    else next.batchRecall = batch;
  } else if (value === undefined) {
    delete next[field];
    if (field === 'requireReason') delete next.reasonAfterSeconds;
  } else {
    next[field] = value;
    if (field === 'requireReason' && value !== 'AFTER_SECONDS') delete next.reasonAfterSeconds;
  }
  return next as S;
}

/** A copy of `s` with the reason rule `mode`, waiting `after` seconds when the mode is AFTER_SECONDS (defaults and overrides alike). */
export function setReasonRule<S extends Partial<PolicySettings> | PolicySettingsOverride>(s: S, mode: PolicySettings['requireReason'], after?: number): S {
  return setField(setField(s, 'requireReason', mode), 'reasonAfterSeconds', mode === 'AFTER_SECONDS' ? after : undefined);
}

/** Adding a field to an override starts from the organisation's current default. */
export function addOverrideField(s: PolicySettingsOverride, field: OverrideField, defaults: PolicySettings): PolicySettingsOverride {
  let next = setField(s, field, structuredClone(getField(defaults, field)));
  if (field === 'requireReason' && defaults.requireReason === 'AFTER_SECONDS') next = setField(next, 'reasonAfterSeconds', defaults.reasonAfterSeconds);
  return next;
}

// ---------------------------------------------------------------------------
// Version diffs in words

export function fieldLabel(path: string, t: T): string {
  return (t.fields as Record<string, string>)[path] ?? path;
}

export function targetLabel(rule: string, t: T): string {
  if (rule === 'CONVERSATION_KIND:GROUP') return t.targetGroup;
  if (rule === 'CONVERSATION_KIND:DIRECT') return t.targetDirect;
  if (rule.startsWith('CONVERSATION:')) return `${t.targetConversation} ${rule.slice('CONVERSATION:'.length, 'CONVERSATION:'.length + 8)}`;
  return rule;
}

/** `overrides[CONVERSATION_KIND:GROUP].windowSeconds` → "Override for Group conversations · Recall window". */
export function diffPathLabel(path: string, t: T): string {
  const match = /^overrides\[([^\]]+)\](?:\.(.+))?$/.exec(path);
  if (!match) return fieldLabel(path, t);
  const target = format(t.overrideFor, { target: targetLabel(match[1], t) });
  return match[2] ? `${target} · ${fieldLabel(match[2], t)}` : target;
}

export function diffValue(path: string, value: unknown, locale: string, t: T): string {
  if (value === null || value === undefined) return t.notSet;
  const field = path.replace(/^overrides\[[^\]]+\]\.?/, '');
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (typeof value === 'number') {
    if (/Seconds$/.test(field)) return humanDuration(locale, value);
    if (field === 'maxRecallsPerHour' && value === 0) return t.unlimited;
    if (field === 'auditRetentionDays') return `${value} ${t.unitDays}`;
    return String(value);
  }
  if (Array.isArray(value)) return value.map((v) => (t.typeNames as Record<string, string>)[String(v)] ?? String(v)).join(', ') || '∅';
  if (typeof value === 'string') return (t.reasonModes as Record<string, string>)[value] ?? value;
  if (field === '') return t.added;
  return JSON.stringify(value);
}
