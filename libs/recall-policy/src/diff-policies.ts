import {
  policyRuleName,
  type PolicyDiffEntry,
  type PolicyDocument,
  type PolicyOverride,
  type PolicySettings,
  type PolicySettingsOverride,
} from '@retract/contracts';

type AnySettings = Partial<PolicySettings> | PolicySettingsOverride;

/** Every leaf of a policy, in the order the console shows them. */
const LEAVES: { path: string; read: (s: AnySettings) => unknown }[] = [
  { path: 'windowSeconds', read: (s) => s.windowSeconds },
  { path: 'graceSeconds', read: (s) => s.graceSeconds },
  { path: 'editAfterRecall', read: (s) => s.editAfterRecall },
  { path: 'reEditWindowSeconds', read: (s) => s.reEditWindowSeconds },
  { path: 'recallableTypes', read: (s) => s.recallableTypes },
  { path: 'batchRecall.enabled', read: (s) => s.batchRecall?.enabled },
  { path: 'batchRecall.maxBatch', read: (s) => s.batchRecall?.maxBatch },
  { path: 'requireReason', read: (s) => s.requireReason },
  { path: 'reasonAfterSeconds', read: (s) => s.reasonAfterSeconds },
  { path: 'maxRecallsPerHour', read: (s) => s.maxRecallsPerHour },
  { path: 'auditRetentionDays', read: (s) => s.auditRetentionDays },
];

/** Absent values are reported as null (JSON has no undefined). */
const normalise = (value: unknown): unknown => (value === undefined ? null : structuredClone(value));

/** recallableTypes is a set: reordering it is not a change. */
const sameValue = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sortedA = [...(a as unknown[])].sort();
    const sortedB = [...(b as unknown[])].sort();
    return sortedA.length === sortedB.length && sortedA.every((item, i) => item === sortedB[i]);
  }
  return a === b || (a == null && b == null);
};

const diffSettings = (prefix: string, from: AnySettings | null, to: AnySettings | null): PolicyDiffEntry[] =>
  LEAVES.flatMap(({ path, read }) => {
    const before = from ? read(from) : undefined;
    const after = to ? read(to) : undefined;
    return sameValue(before, after) ? [] : [{ path: `${prefix}${path}`, from: normalise(before), to: normalise(after) }];
  });

const overrideView = (override: PolicyOverride) => structuredClone(override);

/**
 * The changes from `previous` to `next`, for the version history. Settings first (one
 * entry per changed leaf), then overrides keyed by their rule name: changed fields of an
 * override that exists in both (`overrides[CONVERSATION:<id>].windowSeconds`), whole
 * overrides that were added or removed (`overrides[CONVERSATION_KIND:GROUP]`, from or to
 * null). `previous = null` (the first version) lists every setting, from null.
 */
export function diffPolicies(previous: PolicyDocument | null, next: PolicyDocument): PolicyDiffEntry[] {
  const entries = diffSettings('', previous?.settings ?? null, next.settings);
  const before = new Map((previous?.overrides ?? []).map((o) => [policyRuleName(o.target), o]));
  const after = new Map(next.overrides.map((o) => [policyRuleName(o.target), o]));
  for (const [rule, override] of after) {
    const old = before.get(rule);
    const prefix = `overrides[${rule}]`;
    if (!old) {
      entries.push({ path: prefix, from: null, to: overrideView(override) });
      continue;
    }
    const oldLabel = old.target.kind === 'CONVERSATION' ? old.target.label : undefined;
    const newLabel = override.target.kind === 'CONVERSATION' ? override.target.label : undefined;
    if (!sameValue(oldLabel, newLabel)) {
      entries.push({ path: `${prefix}.label`, from: normalise(oldLabel), to: normalise(newLabel) });
    }
    entries.push(...diffSettings(`${prefix}.`, old.settings, override.settings));
  }
  for (const [rule, override] of before) {
    if (!after.has(rule)) entries.push({ path: `overrides[${rule}]`, from: overrideView(override), to: null });
  }
  return entries;
}
