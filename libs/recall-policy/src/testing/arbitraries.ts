// fast-check generators shared by the specs of this library (not exported from index.ts).
import fc from 'fast-check';
import {
  CONVERSATION_KINDS,
  MESSAGE_TYPES,
  PAYMENT_TYPES,
  RECALLABLE_TYPES,
  type ConversationKind,
  type MessageType,
  type PolicyDocument,
  type PolicyOverride,
  type PolicySettings,
  type PolicySettingsOverride,
} from '@retract/contracts';
import type { RecallMessage } from '../decide-recall';
import type { ConversationRef } from '../resolve-effective-policy';

export const USERS = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002'] as const;
export const CONVERSATIONS = ['20000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000003'] as const;

/** 2001-09-09 .. 2033-05-18, in ms. */
export const arbNow = fc.integer({ min: 1_000_000_000_000, max: 2_000_000_000_000 });
/** Message ages up to two days, biased towards interesting small values by fast-check. */
export const arbAgeMs = fc.integer({ min: 0, max: 2 * 86_400_000 });

const reasonPair = fc.oneof(
  fc.constant({ requireReason: 'NEVER' as const }),
  fc.constant({ requireReason: 'ALWAYS' as const }),
  fc.integer({ min: 0, max: 86_400 }).map((reasonAfterSeconds) => ({ requireReason: 'AFTER_SECONDS' as const, reasonAfterSeconds })),
);

export const arbSettings: fc.Arbitrary<PolicySettings> = fc
  .record({
    windowSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 86_400 })),
    graceSeconds: fc.integer({ min: 0, max: 30 }),
    editAfterRecall: fc.boolean(),
    reEditWindowSeconds: fc.integer({ min: 0, max: 86_400 }),
    recallableTypes: fc.subarray([...RECALLABLE_TYPES]),
    batchRecall: fc.record({ enabled: fc.boolean(), maxBatch: fc.integer({ min: 1, max: 100 }) }),
    reason: reasonPair,
    maxRecallsPerHour: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 })),
    auditRetentionDays: fc.integer({ min: 1, max: 3650 }),
  })
  .map(({ reason, ...rest }) => ({ ...rest, ...reason }));

export const arbOverrideSettings: fc.Arbitrary<PolicySettingsOverride> = fc
  .record(
    {
      windowSeconds: fc.integer({ min: 0, max: 86_400 }),
      graceSeconds: fc.integer({ min: 0, max: 30 }),
      editAfterRecall: fc.boolean(),
      reEditWindowSeconds: fc.integer({ min: 0, max: 86_400 }),
      recallableTypes: fc.subarray([...RECALLABLE_TYPES]),
      batchRecall: fc.record({ enabled: fc.boolean(), maxBatch: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
      reason: reasonPair,
      maxRecallsPerHour: fc.integer({ min: 0, max: 10_000 }),
      auditRetentionDays: fc.integer({ min: 1, max: 3650 }),
    },
    { requiredKeys: [] },
  )
  .map(({ reason, ...rest }) => {
    const settings: PolicySettingsOverride = { ...rest, ...(reason ?? {}) };
    if (settings.batchRecall && Object.keys(settings.batchRecall).length === 0) delete settings.batchRecall;
    return settings;
  })
  .filter((settings) => Object.keys(settings).length > 0);

const arbTarget = fc.oneof(
  fc.constantFrom(...CONVERSATION_KINDS).map((conversationKind) => ({ kind: 'CONVERSATION_KIND' as const, conversationKind })),
  fc.constantFrom(...CONVERSATIONS).map((conversationId) => ({ kind: 'CONVERSATION' as const, conversationId })),
);

export const arbOverrides: fc.Arbitrary<PolicyOverride[]> = fc.uniqueArray(fc.record({ target: arbTarget, settings: arbOverrideSettings }), {
  maxLength: 5,
  selector: (o) => JSON.stringify(o.target),
});

export const arbDocument: fc.Arbitrary<PolicyDocument> = fc.record({ settings: arbSettings, overrides: arbOverrides });

export const arbConversation: fc.Arbitrary<ConversationRef> = fc.record({
  id: fc.constantFrom(...CONVERSATIONS),
  kind: fc.constantFrom<ConversationKind>(...CONVERSATION_KINDS),
});

export const arbMessageType = fc.constantFrom<MessageType>(...MESSAGE_TYPES);
export const arbRecallableType = fc.constantFrom(...RECALLABLE_TYPES);
export const arbPaymentType = fc.constantFrom(...PAYMENT_TYPES);
export const arbUser = fc.constantFrom(...USERS);
export const arbReason = fc.option(fc.constantFrom('', '   ', 'leaked a secret', 'typo'), { nil: undefined });
export const arbRecent = fc.record({
  count: fc.integer({ min: 0, max: 12_000 }),
  oldestAgoMs: fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
});

export const message = (overrides: Partial<RecallMessage> & Pick<RecallMessage, 'sentAt'>): RecallMessage => ({
  id: '30000000-0000-4000-8000-000000000001',
  type: 'TEXT',
  senderId: USERS[0],
  conversation: { id: CONVERSATIONS[0], kind: 'GROUP' },
  ...overrides,
});
