import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_POLICY_SETTINGS,
  DENIAL_CODES,
  DecisionRuleSchema,
  MESSAGE_TYPES,
  PAYMENT_TYPES,
  PolicyDocumentSchema,
  PolicyOverrideSchema,
  PolicySettingsSchema,
  PolicyVersionViewSchema,
  RECALLABLE_TYPES,
  SimulatePolicyRequestSchema,
  SimulationResultSchema,
  UpdatePolicyRequestSchema,
  policyRuleName,
} from './policy';
import { PROBLEM_CODES } from './problem';

const conversationId = '20000000-0000-4000-8000-000000000001';

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

describe('message types and codes', () => {
  it('splits the eight message types into six recallable and two payment types', () => {
    expect([...RECALLABLE_TYPES, ...PAYMENT_TYPES].sort()).toEqual([...MESSAGE_TYPES].sort());
    expect(RECALLABLE_TYPES.filter((type) => (PAYMENT_TYPES as readonly string[]).includes(type))).toEqual([]);
  });

  it('uses denial codes that are problem codes too', () => {
    for (const code of DENIAL_CODES) expect(PROBLEM_CODES).toContain(code);
    expect(DENIAL_CODES).toHaveLength(10);
  });
});

describe('PolicySettingsSchema', () => {
  it('fills in every default of DESIGN §3', () => {
    expect(PolicySettingsSchema.parse({})).toEqual({
      windowSeconds: 120,
      graceSeconds: 5,
      editAfterRecall: true,
      reEditWindowSeconds: 300,
      recallableTypes: ['TEXT', 'IMAGE', 'VIDEO', 'FILE', 'VOICE', 'LOCATION'],
      batchRecall: { enabled: true, maxBatch: 20 },
      requireReason: 'NEVER',
      maxRecallsPerHour: 0,
      auditRetentionDays: 2555,
    });
    expect(DEFAULT_POLICY_SETTINGS).toEqual(PolicySettingsSchema.parse({}));
    expect(PolicySettingsSchema.parse({ batchRecall: { enabled: false } }).batchRecall).toEqual({
      enabled: false,
      maxBatch: 20,
    });
  });

  it('hands out a fresh default list each time and keeps the exported defaults frozen', () => {
    const a = PolicySettingsSchema.parse({});
    a.recallableTypes.push('TEXT');
    expect(PolicySettingsSchema.parse({}).recallableTypes).toHaveLength(6);
    expect(() => (DEFAULT_POLICY_SETTINGS.recallableTypes as string[]).push('TEXT')).toThrow(TypeError);
  });

  it('rejects windowSeconds 86401 naming the field and the limit', () => {
    const result = PolicySettingsSchema.safeParse({ windowSeconds: 86401 });
    expect(result.success).toBe(false);
    expect(issuesOf(result)).toEqual([{ path: 'windowSeconds', message: 'must be at most 86400 (24 hours)' }]);
  });

  it.each([
    [{ windowSeconds: -1 }, 'windowSeconds', 'must be at least 0'],
    [{ windowSeconds: 1.5 }, 'windowSeconds', 'must be a whole number'],
    [{ windowSeconds: '120' }, 'windowSeconds', 'must be a number'],
    [{ graceSeconds: 31 }, 'graceSeconds', 'must be at most 30 (30 seconds)'],
    [{ reEditWindowSeconds: 86401 }, 'reEditWindowSeconds', 'must be at most 86400 (24 hours)'],
    [{ batchRecall: { maxBatch: 0 } }, 'batchRecall.maxBatch', 'must be at least 1'],
    [{ batchRecall: { maxBatch: 101 } }, 'batchRecall.maxBatch', 'must be at most 100'],
    [{ maxRecallsPerHour: 10001 }, 'maxRecallsPerHour', 'must be at most 10000'],
    [{ auditRetentionDays: 0 }, 'auditRetentionDays', 'must be at least 1'],
    [{ auditRetentionDays: 3651 }, 'auditRetentionDays', 'must be at most 3650 (10 years)'],
    [{ recallableTypes: ['TEXT', 'TEXT'] }, 'recallableTypes.1', 'must not list TEXT twice'],
    [{ recallableTypes: ['TRANSFER'] }, 'recallableTypes.0', 'TRANSFER is a payment type and can never be recalled'],
    [{ requireReason: 'SOMETIMES' }, 'requireReason', 'must be one of NEVER, ALWAYS, AFTER_SECONDS'],
    [{ requireReason: 'AFTER_SECONDS' }, 'reasonAfterSeconds', 'is required when requireReason is AFTER_SECONDS'],
    [{ requireReason: 'ALWAYS', reasonAfterSeconds: 60 }, 'reasonAfterSeconds', 'is only allowed when requireReason is AFTER_SECONDS (here it is ALWAYS)'],
    [{ requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 86401 }, 'reasonAfterSeconds', 'must be at most 86400 (24 hours)'],
    [{ windowSecs: 10 }, '', 'Unrecognized key: "windowSecs"'],
    [{ batchRecall: { enabled: true, max: 3 } }, 'batchRecall', 'Unrecognized key: "max"'],
  ])('rejects %j at %s', (input, path, message) => {
    const result = PolicySettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(issuesOf(result)).toContainEqual({ path, message });
  });

  it('accepts the limits themselves', () => {
    const result = PolicySettingsSchema.safeParse({
      windowSeconds: 86400,
      graceSeconds: 30,
      reEditWindowSeconds: 0,
      recallableTypes: [],
      batchRecall: { enabled: false, maxBatch: 100 },
      requireReason: 'AFTER_SECONDS',
      reasonAfterSeconds: 0,
      maxRecallsPerHour: 10000,
      auditRetentionDays: 3650,
    });
    expect(result.success).toBe(true);
  });
});

describe('overrides and documents', () => {
  const conversationTarget = { kind: 'CONVERSATION' as const, conversationId, label: 'Legal' };

  it('leaves unset fields unset in an override (no defaults)', () => {
    expect(PolicyOverrideSchema.parse({ target: conversationTarget, settings: { windowSeconds: 0 } })).toEqual({
      target: conversationTarget,
      settings: { windowSeconds: 0 },
    });
    expect(
      PolicyOverrideSchema.parse({
        target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' },
        settings: { batchRecall: { maxBatch: 5 } },
      }).settings,
    ).toEqual({ batchRecall: { maxBatch: 5 } });
  });

  it('rejects empty overrides and a reason threshold without its mode', () => {
    expect(issuesOf(PolicyOverrideSchema.safeParse({ target: conversationTarget, settings: {} }))).toEqual([
      { path: 'settings', message: 'an override must set at least one field' },
    ]);
    expect(issuesOf(PolicyOverrideSchema.safeParse({ target: conversationTarget, settings: { reasonAfterSeconds: 30 } }))).toContainEqual({
      path: 'settings.reasonAfterSeconds',
      message: 'may only be set together with requireReason: AFTER_SECONDS',
    });
    expect(
      issuesOf(PolicyOverrideSchema.safeParse({ target: { kind: 'CONVERSATION', conversationId: 'legal' }, settings: { windowSeconds: 0 } })),
    ).toContainEqual({ path: 'target.conversationId', message: 'must be a conversation id (UUID)' });
  });

  it('rejects two overrides with the same target, and more than 200', () => {
    const dup = PolicyDocumentSchema.safeParse({
      settings: {},
      overrides: [
        { target: conversationTarget, settings: { windowSeconds: 0 } },
        { target: { kind: 'CONVERSATION', conversationId: conversationId.toUpperCase() }, settings: { windowSeconds: 60 } },
      ],
    });
    expect(issuesOf(dup)).toEqual([{ path: 'overrides.1.target', message: `duplicates the target of override 0 (CONVERSATION:${conversationId})` }]);
    const many = Array.from({ length: 201 }, (_, i) => ({
      target: { kind: 'CONVERSATION', conversationId: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
      settings: { windowSeconds: 0 },
    }));
    expect(issuesOf(PolicyDocumentSchema.safeParse({ settings: {}, overrides: many }))).toContainEqual({
      path: 'overrides',
      message: 'must have at most 200 overrides',
    });
    expect(PolicyDocumentSchema.safeParse({ settings: {}, overrides: many.slice(0, 200) }).success).toBe(true);
  });

  it('names rules after their targets', () => {
    expect(policyRuleName({ kind: 'CONVERSATION_KIND', conversationKind: 'DIRECT' })).toBe('CONVERSATION_KIND:DIRECT');
    expect(policyRuleName(conversationTarget)).toBe(`CONVERSATION:${conversationId}`);
    expect(DecisionRuleSchema.safeParse(`CONVERSATION:${conversationId}`).success).toBe(true);
    expect(DecisionRuleSchema.safeParse('BUILT_IN:PAYMENT_TYPES').success).toBe(true);
    expect(DecisionRuleSchema.safeParse('CONVERSATION:legal').success).toBe(false);
  });
});

describe('HTTP shapes', () => {
  it('requires an expected version on update; settings name only what changes, overrides are optional', () => {
    expect(UpdatePolicyRequestSchema.parse({ expectedVersion: 3, settings: { windowSeconds: 600 } })).toEqual({
      expectedVersion: 3,
      settings: { windowSeconds: 600 },
    });
    expect(UpdatePolicyRequestSchema.safeParse({ expectedVersion: 3, overrides: [] }).success).toBe(true);
    expect(issuesOf(UpdatePolicyRequestSchema.safeParse({ expectedVersion: 0, settings: { windowSeconds: 1 } }))).toEqual([
      { path: 'expectedVersion', message: 'must be at least 1' },
    ]);
    expect(UpdatePolicyRequestSchema.safeParse({ settings: {} }).success).toBe(false);
    expect(UpdatePolicyRequestSchema.safeParse({ expectedVersion: 1, settings: {}, version: 2 }).success).toBe(false);
  });

  it('defaults simulations to 30 days and caps them at 90', () => {
    expect(SimulatePolicyRequestSchema.parse({ settings: {} }).days).toBe(30);
    expect(issuesOf(SimulatePolicyRequestSchema.safeParse({ settings: {}, days: 91 }))).toEqual([{ path: 'days', message: 'must be at most 90 (days)' }]);
  });

  it('describes versions and simulation results', () => {
    expect(
      PolicyVersionViewSchema.safeParse({
        version: 2,
        settings: DEFAULT_POLICY_SETTINGS,
        overrides: [],
        createdAt: '2025-01-01T00:00:00.000Z',
        createdBy: { id: conversationId, displayName: 'Ada Admin' },
        diff: [{ path: 'windowSeconds', from: 120, to: 600 }],
      }).success,
    ).toBe(true);
    expect(
      SimulationResultSchema.safeParse({
        days: 30,
        attempts: 3,
        unchanged: 1,
        newlyDenied: { total: 1, byCode: { WINDOW_EXPIRED: 1 } },
        newlyAllowed: { total: 1, byCode: { RATE_LIMITED: 1 } },
      }).success,
    ).toBe(true);
    expect(
      SimulationResultSchema.safeParse({
        days: 30,
        attempts: 1,
        unchanged: 0,
        newlyDenied: { total: 1, byCode: { SOMETHING: 1 } },
        newlyAllowed: { total: 0, byCode: {} },
      }).success,
    ).toBe(false);
  });
});
