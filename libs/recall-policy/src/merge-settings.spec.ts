import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY_SETTINGS, PolicySettingsSchema, type PolicySettings } from '@retract/contracts';
import fc from 'fast-check';
import { mergePolicySettings } from './merge-settings';

const current: PolicySettings = PolicySettingsSchema.parse({
  ...DEFAULT_POLICY_SETTINGS,
  maxRecallsPerHour: 20,
  requireReason: 'AFTER_SECONDS',
  reasonAfterSeconds: 60,
});

describe('mergePolicySettings', () => {
  it('keeps every field a change leaves out', () => {
    expect(mergePolicySettings(current, { windowSeconds: 10 })).toEqual({ ...current, windowSeconds: 10 });
  });

  it('merges batchRecall by sub-field', () => {
    expect(mergePolicySettings(current, { batchRecall: { maxBatch: 5 } }).batchRecall).toEqual({ ...current.batchRecall, maxBatch: 5 });
  });

  it('drops the old reason threshold when the reason rule changes', () => {
    const merged = mergePolicySettings(current, { requireReason: 'ALWAYS' });
    expect(merged.requireReason).toBe('ALWAYS');
    expect('reasonAfterSeconds' in merged).toBe(false);
    expect(PolicySettingsSchema.safeParse(merged).success).toBe(true);
  });

  it('is the identity for an empty change and idempotent for any window', () => {
    expect(mergePolicySettings(current, undefined)).toBe(current);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (windowSeconds) => {
        const once = mergePolicySettings(current, { windowSeconds });
        expect(mergePolicySettings(once, { windowSeconds })).toEqual(once);
        expect(PolicySettingsSchema.safeParse(once).success).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});
