import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY_DOCUMENT, PolicyDiffEntrySchema, PolicyDocumentSchema, type PolicyDocument } from '@retract/contracts';
import { diffPolicies } from './diff-policies';
import { CONVERSATIONS, arbDocument } from './testing/arbitraries';

const legal = CONVERSATIONS[1];
const doc = (input: unknown): PolicyDocument => PolicyDocumentSchema.parse(input);

describe('diffPolicies', () => {
  it('finds no change between a policy and a copy of itself, and some change between different policies', () => {
    fc.assert(
      fc.property(arbDocument, arbDocument, (a, b) => {
        expect(diffPolicies(a, structuredClone(a))).toEqual([]);
        const entries = diffPolicies(a, b);
        for (const entry of entries) expect(PolicyDiffEntrySchema.safeParse(entry).success).toBe(true);
        // JSON-safe: no undefined anywhere (absent is null).
        expect(JSON.parse(JSON.stringify(entries))).toEqual(entries);
        const normalise = (d: PolicyDocument) =>
          JSON.stringify({
            settings: { ...d.settings, recallableTypes: [...d.settings.recallableTypes].sort() },
            overrides: [...d.overrides]
              .map((o) => ({
                ...o,
                settings: { ...o.settings, recallableTypes: o.settings.recallableTypes && [...o.settings.recallableTypes].sort() },
              }))
              .sort((x, y) => JSON.stringify(x.target).localeCompare(JSON.stringify(y.target))),
          });
        expect(entries.length === 0).toBe(normalise(a) === normalise(b));
      }),
      { numRuns: 100 },
    );
  });

  it('names changed fields by path, including nested and per-override ones', () => {
    const before = doc({
      settings: {},
      overrides: [
        { target: { kind: 'CONVERSATION', conversationId: legal, label: 'Legal' }, settings: { windowSeconds: 0 } },
        { target: { kind: 'CONVERSATION_KIND', conversationKind: 'DIRECT' }, settings: { graceSeconds: 0 } },
      ],
    });
    const after = doc({
      settings: { windowSeconds: 600, batchRecall: { maxBatch: 50 }, recallableTypes: ['LOCATION', 'VOICE', 'FILE', 'VIDEO', 'IMAGE', 'TEXT'] },
      overrides: [
        {
          target: { kind: 'CONVERSATION', conversationId: legal, label: 'Legal & Compliance' },
          settings: { windowSeconds: 60, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 30 },
        },
        { target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { batchRecall: { enabled: false } } },
      ],
    });
    expect(diffPolicies(before, after)).toEqual([
      { path: 'windowSeconds', from: 120, to: 600 },
      { path: 'batchRecall.maxBatch', from: 20, to: 50 },
      { path: `overrides[CONVERSATION:${legal}].label`, from: 'Legal', to: 'Legal & Compliance' },
      { path: `overrides[CONVERSATION:${legal}].windowSeconds`, from: 0, to: 60 },
      { path: `overrides[CONVERSATION:${legal}].requireReason`, from: null, to: 'AFTER_SECONDS' },
      { path: `overrides[CONVERSATION:${legal}].reasonAfterSeconds`, from: null, to: 30 },
      {
        path: 'overrides[CONVERSATION_KIND:GROUP]',
        from: null,
        to: { target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { batchRecall: { enabled: false } } },
      },
      {
        path: 'overrides[CONVERSATION_KIND:DIRECT]',
        from: { target: { kind: 'CONVERSATION_KIND', conversationKind: 'DIRECT' }, settings: { graceSeconds: 0 } },
        to: null,
      },
    ]);
  });

  it('lists every setting from null for the first version', () => {
    const entries = diffPolicies(null, DEFAULT_POLICY_DOCUMENT);
    expect(entries.map((e) => e.path)).toEqual([
      'windowSeconds',
      'graceSeconds',
      'editAfterRecall',
      'reEditWindowSeconds',
      'recallableTypes',
      'batchRecall.enabled',
      'batchRecall.maxBatch',
      'requireReason',
      'maxRecallsPerHour',
      'auditRetentionDays',
    ]);
    expect(entries.every((e) => e.from === null)).toBe(true);
  });
});
