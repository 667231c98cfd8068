import type { PolicySettings, PolicySettingsOverride } from '@retract/contracts';

/**
 * A settings change applied to the current settings: fields left out keep their value (a change
 * of one field must never reset the others to defaults). `batchRecall` merges by sub-field, and
 * `reasonAfterSeconds` belongs to `requireReason`: a new reason rule brings its own threshold or none.
 */
export function mergePolicySettings(current: PolicySettings, change: PolicySettingsOverride | undefined): PolicySettings {
  if (!change) return current;
  const merged: PolicySettings = {
    ...current,
    ...stripUndefined(change),
    batchRecall: { ...current.batchRecall, ...stripUndefined(change.batchRecall ?? {}) },
  };
  if (change.requireReason !== undefined) {
    const { reasonAfterSeconds: _previous, ...rest } = merged as PolicySettings & { reasonAfterSeconds?: number };
    return change.reasonAfterSeconds !== undefined ? { ...rest, reasonAfterSeconds: change.reasonAfterSeconds } : rest;
  }
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
