import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PolicyDocumentSchema, type PolicyDocument } from '@retract/contracts';
import { decideBatch, type BatchRecallInput } from './decide-batch';
import { decideRecall, type RecallMessage } from './decide-recall';
import { resolveEffectivePolicy } from './resolve-effective-policy';
import { CONVERSATIONS, USERS, arbConversation, arbDocument, arbMessageType, arbNow, arbReason, message } from './testing/arbitraries';

const [alice, bob] = USERS;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
const doc = (input: unknown): PolicyDocument => PolicyDocumentSchema.parse(input);
const arbTypes = fc.array(arbMessageType, { minLength: 1, maxLength: 8 });
const messages = (n: number, extra: Partial<RecallMessage> = {}): RecallMessage[] =>
  Array.from({ length: n }, (_, i) => message({ id: `m${i}`, sentAt: T0 - i * 1000, ...extra }));
const batch = (policy: PolicyDocument, list: RecallMessage[], extra: Partial<BatchRecallInput> = {}) =>
  decideBatch({ policy, policyVersion: 4, messages: list, actor: { userId: alice }, now: T0, recentRecalls: { count: 0 }, ...extra });

describe('decideBatch — properties', () => {
  it('refuses the whole request: BATCH_DISABLED when off, BATCH_TOO_LARGE beyond maxBatch, otherwise one result per message', () => {
    fc.assert(
      fc.property(
        arbDocument,
        arbConversation,
        fc.integer({ min: 1, max: 130 }),
        arbMessageType,
        arbNow,
        arbReason,
        fc.boolean(),
        (policy, conversation, size, type, now, reason, forced) => {
          const list = Array.from({ length: size }, (_, i): RecallMessage => ({
            id: `m${i}`,
            type,
            senderId: alice,
            conversation,
            sentAt: now - i * 7_000,
          }));
          const { batchRecall } = resolveEffectivePolicy(policy, conversation).settings;
          const decision = decideBatch({
            policy,
            policyVersion: 1,
            messages: list,
            actor: { userId: alice, forced },
            now,
            reason,
            recentRecalls: { count: 0 },
          });
          if (!batchRecall.enabled) {
            expect(decision).toMatchObject({ accepted: false, code: 'BATCH_DISABLED' });
          } else if (size > batchRecall.maxBatch) {
            expect(decision).toMatchObject({ accepted: false, code: 'BATCH_TOO_LARGE', maxBatch: batchRecall.maxBatch });
          } else {
            expect(decision.accepted).toBe(true);
            if (decision.accepted) expect(decision.results.map((r) => r.messageId)).toEqual(list.map((m) => m.id));
          }
        },
      ),
    );
  });

  it('judges each message as decideRecall would, with the recall count growing through the batch', () => {
    fc.assert(
      fc.property(arbDocument, arbConversation, arbTypes, arbNow, arbReason, fc.nat(20), (policy, conversation, types, now, reason, count) => {
        const list = types.map((type, i): RecallMessage => ({ id: `m${i}`, type, senderId: alice, conversation, sentAt: now - i * 30_000 }));
        const decision = decideBatch({ policy, policyVersion: 1, messages: list, actor: { userId: alice }, now, reason, recentRecalls: { count } });
        if (!decision.accepted) return;
        const { maxRecallsPerHour } = decision.effective.settings;
        const allowedBefore = (i: number) => decision.results.slice(0, i).filter((r) => r.decision.allowed).length;
        decision.results.forEach((result, i) => {
          const sofar = allowedBefore(i);
          expect(result.decision).toEqual(
            decideRecall({
              policy,
              policyVersion: 1,
              message: list[i],
              actor: { userId: alice },
              now,
              reason,
              recentRecalls: { count: count + sofar, oldestAt: sofar > 0 ? now : undefined },
            }),
          );
          if (maxRecallsPerHour > 0 && result.decision.allowed) expect(count + sofar).toBeLessThan(maxRecallsPerHour);
        });
        if (maxRecallsPerHour > 0) {
          expect(count + allowedBefore(list.length)).toBeLessThanOrEqual(Math.max(count, maxRecallsPerHour));
        }
      }),
    );
  });
});

describe('decideBatch — examples', () => {
  it('cuts a batch short at the hourly limit', () => {
    const decision = batch(doc({ settings: { maxRecallsPerHour: 5 } }), messages(4), {
      recentRecalls: { count: 3, oldestAt: T0 - 1_800_000 },
    });
    expect(decision.accepted).toBe(true);
    if (!decision.accepted) return;
    expect(decision.results.map((r) => (r.decision.allowed ? 'ok' : r.decision.code))).toEqual(['ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(decision.results[2].decision).toMatchObject({ retryAfterSeconds: 1800 });
  });

  it('judges each message on its own: one too old, one a payment, the rest fine', () => {
    const list = [
      message({ id: 'a', sentAt: T0 - 10_000 }),
      message({ id: 'b', sentAt: T0 - 200_000 }),
      message({ id: 'c', sentAt: T0 - 10_000, type: 'RED_PACKET' }),
      message({ id: 'a', sentAt: T0 - 10_000 }),
    ];
    const decision = batch(doc({ settings: {} }), list);
    if (!decision.accepted) throw new Error('expected the batch to be accepted');
    expect(decision.rule).toBe('TENANT_DEFAULT');
    expect(decision.results.map((r) => (r.decision.allowed ? 'ok' : r.decision.code))).toEqual([
      'ok',
      'WINDOW_EXPIRED',
      'TYPE_NOT_RECALLABLE',
      'ALREADY_RECALLED',
    ]);
  });

  it('gates on the conversation’s effective batch settings, naming the rule', () => {
    const policy = doc({
      settings: {},
      overrides: [
        { target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { batchRecall: { maxBatch: 3 } } },
        { target: { kind: 'CONVERSATION', conversationId: CONVERSATIONS[1] }, settings: { batchRecall: { enabled: false } } },
      ],
    });
    expect(batch(policy, messages(4))).toMatchObject({ accepted: false, code: 'BATCH_TOO_LARGE', rule: 'CONVERSATION_KIND:GROUP', maxBatch: 3 });
    expect(batch(policy, messages(3))).toMatchObject({ accepted: true, rule: 'CONVERSATION_KIND:GROUP' });
    expect(batch(policy, messages(1, { conversation: { id: CONVERSATIONS[1], kind: 'GROUP' } }))).toMatchObject({
      accepted: false,
      code: 'BATCH_DISABLED',
      rule: `CONVERSATION:${CONVERSATIONS[1]}`,
    });
    expect(batch(doc({ settings: {} }), messages(21))).toMatchObject({ code: 'BATCH_TOO_LARGE', maxBatch: 20 });
    // Batch limits hold for forced recalls too.
    expect(batch(doc({ settings: {} }), messages(21), { actor: { userId: bob, forced: true }, reason: 'leak' })).toMatchObject({
      code: 'BATCH_TOO_LARGE',
    });
  });

  it('rejects empty batches and batches mixing senders or conversations as invalid requests', () => {
    const policy = doc({ settings: {} });
    expect(batch(policy, [])).toMatchObject({ accepted: false, code: 'VALIDATION_FAILED', problem: 'EMPTY' });
    expect(batch(policy, [...messages(1), message({ id: 'x', sentAt: T0, senderId: bob })])).toMatchObject({
      problem: 'MIXED_SENDERS',
    });
    expect(batch(policy, [...messages(1), message({ id: 'x', sentAt: T0, conversation: { id: CONVERSATIONS[2], kind: 'GROUP' } })])).toMatchObject({
      problem: 'MIXED_CONVERSATIONS',
    });
  });
});
