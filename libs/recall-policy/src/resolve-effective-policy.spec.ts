import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULT_POLICY_SETTINGS,
  POLICY_FIELDS,
  PolicyDocumentSchema,
  policyRuleName,
  type PolicyDocument,
  type PolicyField,
  type PolicyRuleName,
  type PolicySettingsOverride,
} from '@retract/contracts';
import { resolveEffectivePolicy } from './resolve-effective-policy';
import { CONVERSATIONS, arbConversation, arbDocument } from './testing/arbitraries';

const legal = CONVERSATIONS[1];

/** Independent oracle: the value a layer sets for a field, or undefined. */
const valueIn = (settings: PolicySettingsOverride, field: PolicyField): unknown => {
  if (field === 'batchRecall.enabled') return settings.batchRecall?.enabled;
  if (field === 'batchRecall.maxBatch') return settings.batchRecall?.maxBatch;
  return settings[field];
};

describe('resolveEffectivePolicy', () => {
  it('only generates documents the contract accepts (generator sanity)', () => {
    fc.assert(
      fc.property(arbDocument, (document) => {
        expect(PolicyDocumentSchema.safeParse(document).success).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('lets the most specific override win, field by field (conversation > kind > tenant)', () => {
    fc.assert(
      fc.property(arbDocument, arbConversation, (document, conversation) => {
        const effective = resolveEffectivePolicy(document, conversation);
        const layerFor = (rule: PolicyRuleName) => document.overrides.find((o) => policyRuleName(o.target) === rule);
        const kindRule: PolicyRuleName = `CONVERSATION_KIND:${conversation.kind}`;
        const conversationRule: PolicyRuleName = `CONVERSATION:${conversation.id}`;
        const layers: [PolicyRuleName, PolicySettingsOverride][] = [['TENANT_DEFAULT', document.settings]];
        for (const rule of [kindRule, conversationRule]) {
          const override = layerFor(rule);
          if (override) layers.push([rule, override.settings]);
        }
        for (const field of POLICY_FIELDS) {
          const winner = [...layers].reverse().find(([, settings]) => valueIn(settings, field) !== undefined)!;
          expect(effective.sources[field]).toBe(winner[0]);
          expect(valueIn(effective.settings, field)).toEqual(valueIn(winner[1], field));
          if (field === 'requireReason') {
            expect(effective.settings.reasonAfterSeconds).toBe(winner[1].reasonAfterSeconds);
          }
        }
        expect(effective.rule).toBe(layers[layers.length - 1][0]);
        expect(effective.layers).toEqual(layers.map(([rule]) => rule));
      }),
    );
  });

  it('does not share mutable state with the document', () => {
    const document: PolicyDocument = {
      settings: { ...DEFAULT_POLICY_SETTINGS, recallableTypes: ['TEXT'], batchRecall: { enabled: true, maxBatch: 20 } },
      overrides: [],
    };
    const effective = resolveEffectivePolicy(document, { id: legal, kind: 'GROUP' });
    effective.settings.recallableTypes.push('IMAGE');
    effective.settings.batchRecall.maxBatch = 1;
    expect(document.settings.recallableTypes).toEqual(['TEXT']);
    expect(document.settings.batchRecall.maxBatch).toBe(20);
  });

  it('merges a "Legal" group override over the GROUP kind over the tenant default', () => {
    const document = PolicyDocumentSchema.parse({
      settings: { windowSeconds: 300, maxRecallsPerHour: 10 },
      overrides: [
        { target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { windowSeconds: 600, batchRecall: { maxBatch: 5 } } },
        {
          target: { kind: 'CONVERSATION', conversationId: legal, label: 'Legal' },
          settings: { windowSeconds: 0, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 30 },
        },
      ],
    });
    const inLegal = resolveEffectivePolicy(document, { id: legal.toUpperCase(), kind: 'GROUP' });
    expect(inLegal.settings).toMatchObject({
      windowSeconds: 0,
      maxRecallsPerHour: 10,
      batchRecall: { enabled: true, maxBatch: 5 },
      requireReason: 'AFTER_SECONDS',
      reasonAfterSeconds: 30,
    });
    expect(inLegal.rule).toBe(`CONVERSATION:${legal}`);
    expect(inLegal.sources).toMatchObject({
      windowSeconds: `CONVERSATION:${legal}`,
      'batchRecall.maxBatch': 'CONVERSATION_KIND:GROUP',
      'batchRecall.enabled': 'TENANT_DEFAULT',
      maxRecallsPerHour: 'TENANT_DEFAULT',
    });
    const direct = resolveEffectivePolicy(document, { id: CONVERSATIONS[0], kind: 'DIRECT' });
    expect(direct.rule).toBe('TENANT_DEFAULT');
    expect(direct.settings.windowSeconds).toBe(300);
  });

  it('drops reasonAfterSeconds when a more specific override changes the reason mode', () => {
    const document = PolicyDocumentSchema.parse({
      settings: { requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 },
      overrides: [{ target: { kind: 'CONVERSATION_KIND', conversationKind: 'DIRECT' }, settings: { requireReason: 'NEVER' } }],
    });
    const effective = resolveEffectivePolicy(document, { id: legal, kind: 'DIRECT' });
    expect(effective.settings.requireReason).toBe('NEVER');
    expect('reasonAfterSeconds' in effective.settings).toBe(false);
  });
});
