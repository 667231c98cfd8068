import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY_DOCUMENT, PolicyDocumentSchema, policyRuleName, type PolicyDocument, type PolicySettingsOverride } from '@retract/contracts';
import { decideRecall, type RecallDecision, type RecallDecisionInput } from './decide-recall';
import { resolveEffectivePolicy, ruleSpecificity, type ConversationRef } from './resolve-effective-policy';
import {
  CONVERSATIONS,
  USERS,
  arbAgeMs,
  arbConversation,
  arbDocument,
  arbMessageType,
  arbNow,
  arbPaymentType,
  arbReason,
  arbRecent,
  arbUser,
  message,
} from './testing/arbitraries';

const [alice, bob] = USERS;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
const legal = CONVERSATIONS[1];

/** A recall by alice of her own TEXT message in a GROUP, `ageMs` after it was sent. */
const recall = (policy: PolicyDocument, ageMs: number, extra: Partial<RecallDecisionInput> = {}): RecallDecision =>
  decideRecall({
    policy,
    policyVersion: 7,
    message: message({ sentAt: T0 }),
    actor: { userId: alice },
    now: T0 + ageMs,
    recentRecalls: { count: 0 },
    ...extra,
  });

const doc = (input: unknown): PolicyDocument => PolicyDocumentSchema.parse(input);
const arbTimeZone = fc.constantFrom('UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati');

/** Arbitrary inputs over the whole space: any policy, message, actor, time, reason, history. */
const arbInput = fc
  .record({
    policy: arbDocument,
    type: arbMessageType,
    senderId: arbUser,
    conversation: arbConversation,
    actor: fc.record({ userId: arbUser, forced: fc.option(fc.boolean(), { nil: undefined }) }),
    now: arbNow,
    age: arbAgeMs,
    recalledAgoMs: fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
    reason: arbReason,
    recent: arbRecent,
  })
  .map(({ policy, type, senderId, conversation, actor, now, age, recalledAgoMs, reason, recent }): RecallDecisionInput => ({
    policy,
    policyVersion: 3,
    message: {
      id: 'm1',
      type,
      senderId,
      conversation,
      sentAt: now - age,
      recalledAt: recalledAgoMs === undefined ? undefined : now - Math.min(recalledAgoMs, age),
    },
    actor,
    now,
    reason,
    recentRecalls: { count: recent.count, oldestAt: recent.oldestAgoMs === undefined ? undefined : now - recent.oldestAgoMs },
  }));

/** Sets fields on the conversation's own override (creating it), so they win over everything. */
const withConversationOverride = (policy: PolicyDocument, conversation: ConversationRef, settings: PolicySettingsOverride): PolicyDocument => {
  const rule = `CONVERSATION:${conversation.id}`;
  const existing = policy.overrides.find((o) => policyRuleName(o.target) === rule);
  const merged = { ...(existing?.settings ?? {}), ...settings };
  return {
    ...policy,
    overrides: [...policy.overrides.filter((o) => o !== existing), { target: { kind: 'CONVERSATION', conversationId: conversation.id }, settings: merged }],
  };
};

/** An input that passes every check up to the window: own message, recallable type, reason given, no rate limit. */
const arbWindowCase = fc
  .record({ policy: arbDocument, conversation: arbConversation, now: arbNow })
  .map(({ policy, conversation, now }) => ({ policy, conversation, now, effective: resolveEffectivePolicy(policy, conversation).settings }))
  .filter(({ effective }) => effective.windowSeconds > 0 && effective.recallableTypes.length > 0);

describe('decideRecall — properties', () => {
  it('never allows recalling a payment, under any policy, by anyone, forced or not', () => {
    fc.assert(
      fc.property(arbInput, arbPaymentType, (input, type) => {
        const decision = decideRecall({ ...input, message: { ...input.message, type } });
        expect(decision.allowed).toBe(false);
        const mayAct = input.actor.userId === input.message.senderId || input.actor.forced === true;
        if (mayAct && input.message.recalledAt === undefined) {
          expect(decision).toMatchObject({ code: 'TYPE_NOT_RECALLABLE', rule: 'BUILT_IN:PAYMENT_TYPES' });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers ALREADY_RECALLED to a second recall under any policy, forced or not', () => {
    fc.assert(
      fc.property(arbInput, fc.integer({ min: 0, max: 10_000 }), (input, ago) => {
        const decision = decideRecall({
          ...input,
          actor: { ...input.actor, forced: true },
          message: { ...input.message, recalledAt: (input.now as number) - ago },
        });
        expect(decision).toMatchObject({ allowed: false, code: 'ALREADY_RECALLED', rule: 'BUILT_IN:RECALL_ONCE' });
      }),
    );
  });

  it('is exact at the window boundary: allowed at window+grace seconds, WINDOW_EXPIRED one millisecond later', () => {
    fc.assert(
      fc.property(arbWindowCase, fc.nat(), ({ policy, conversation, now, effective }, pick) => {
        const type = effective.recallableTypes[pick % effective.recallableTypes.length];
        const limitMs = (effective.windowSeconds + effective.graceSeconds) * 1000;
        const at = (sentAt: number) =>
          decideRecall({
            policy,
            policyVersion: 1,
            message: { id: 'm', type, senderId: alice, conversation, sentAt },
            actor: { userId: alice },
            now,
            reason: 'because',
            recentRecalls: { count: 0 },
          });
        expect(at(now - limitMs).allowed).toBe(true);
        expect(at(now - limitMs - 1)).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
      }),
    );
  });

  it('keeps a WINDOW_EXPIRED denied with the same code at every later time', () => {
    fc.assert(
      fc.property(
        arbWindowCase,
        fc.nat(),
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        arbReason,
        arbRecent,
        ({ policy, conversation, now, effective }, pick, pastLimit, later, reason, recent) => {
          const type = effective.recallableTypes[pick % effective.recallableTypes.length];
          const sentAt = now - (effective.windowSeconds + effective.graceSeconds) * 1000 - pastLimit;
          const at = (t: number) =>
            decideRecall({
              policy,
              policyVersion: 1,
              message: { id: 'm', type, senderId: alice, conversation, sentAt },
              actor: { userId: alice },
              now: t,
              reason,
              recentRecalls: { count: recent.count, oldestAt: recent.oldestAgoMs === undefined ? undefined : t - recent.oldestAgoMs },
            });
          expect(at(now)).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
          expect(at(now + later)).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
        },
      ),
    );
  });

  it('turns recall off with windowSeconds = 0, whatever the other fields say', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        fc.pre(input.message.recalledAt === undefined && !['RED_PACKET', 'TRANSFER'].includes(input.message.type));
        const policy = withConversationOverride(input.policy, input.message.conversation, { windowSeconds: 0 });
        const decision = decideRecall({ ...input, policy, actor: { userId: input.message.senderId } });
        expect(decision).toMatchObject({
          allowed: false,
          code: 'RECALL_OFF',
          rule: `CONVERSATION:${input.message.conversation.id}`,
        });
      }),
    );
  });

  it('lets a forced recall through window, type policy and rate limit, but never without a reason', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        fc.pre(input.message.recalledAt === undefined && !['RED_PACKET', 'TRANSFER'].includes(input.message.type));
        const forced = { ...input, actor: { userId: input.actor.userId, forced: true } };
        const withReason = decideRecall({ ...forced, reason: 'harassment' });
        expect(withReason).toMatchObject({ allowed: true, forced: true, rule: 'BUILT_IN:FORCED_RECALL' });
        expect(withReason.allowed && withReason.reEditUntil).toBeFalsy();
        expect(decideRecall({ ...forced, reason: '  ' })).toMatchObject({
          allowed: false,
          code: 'REASON_REQUIRED',
          rule: 'BUILT_IN:FORCED_RECALL',
        });
      }),
    );
  });

  it('reports a rule that applied to the conversation, never more specific than the policy in force', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const decision = decideRecall(input);
        if (decision.rule.startsWith('BUILT_IN:')) return;
        expect(decision.effective.layers).toContain(decision.rule);
        expect(ruleSpecificity(decision.rule as never)).toBeLessThanOrEqual(ruleSpecificity(decision.effective.rule));
      }),
    );
  });

  it('reads time only from `now` and `sentAt`: no client clock, no system clock, no time zone', () => {
    const realTz = process.env.TZ;
    try {
      fc.assert(
        fc.property(arbInput, fc.integer({ min: -1e11, max: 1e11 }), arbNow, arbTimeZone, (input, shift, systemNow, tz) => {
          const baseline = decideRecall(input);
          // The same instants given as Date objects, with another time zone and a different system clock.
          process.env.TZ = tz;
          jest.useFakeTimers({ now: systemNow });
          const asDates = decideRecall({
            ...input,
            now: new Date(input.now),
            message: {
              ...input.message,
              sentAt: new Date(input.message.sentAt),
              recalledAt: input.message.recalledAt === undefined ? undefined : new Date(input.message.recalledAt as number),
            },
          });
          jest.useRealTimers();
          expect(asDates).toEqual(baseline);
          // Shifting every server timestamp by the same amount changes nothing but the absolute deadline.
          const shifted = decideRecall({
            ...input,
            now: (input.now as number) + shift,
            message: {
              ...input.message,
              sentAt: (input.message.sentAt as number) + shift,
              recalledAt: input.message.recalledAt === undefined ? undefined : (input.message.recalledAt as number) + shift,
            },
            recentRecalls: {
              ...input.recentRecalls,
              oldestAt: input.recentRecalls.oldestAt == null ? undefined : (input.recentRecalls.oldestAt as number) + shift,
            },
          });
          const strip = ({ reEditUntil, ...rest }: RecallDecision & { reEditUntil?: Date }) => ({ rest, until: reEditUntil?.getTime() });
          expect(strip(shifted).rest).toEqual(strip(baseline).rest);
          if (baseline.allowed && baseline.reEditUntil) expect(strip(shifted).until).toBe(baseline.reEditUntil.getTime() + shift);
        }),
        { numRuns: 150 },
      );
    } finally {
      jest.useRealTimers();
      if (realTz === undefined) delete process.env.TZ;
      else process.env.TZ = realTz;
    }
  });

  it('never mutates its input', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const snapshot = structuredClone(input);
        decideRecall(input);
        expect(input).toEqual(snapshot);
      }),
      { numRuns: 50 },
    );
  });
});

describe('decideRecall — examples', () => {
  const defaults = DEFAULT_POLICY_DOCUMENT;

  it('allows the sender within 120 s + 5 s grace by default and offers a 300 s re-edit', () => {
    const decision = recall(defaults, 125_000);
    expect(decision).toMatchObject({ allowed: true, rule: 'TENANT_DEFAULT', policyVersion: 7, forced: false });
    expect(decision.allowed && decision.reEditUntil).toEqual(new Date(T0 + 125_000 + 300_000));
    expect(recall(defaults, 125_001)).toMatchObject({
      allowed: false,
      code: 'WINDOW_EXPIRED',
      rule: 'TENANT_DEFAULT',
      detail: 'the message is 125.001 s old; it could be recalled for 120 s (+5 s grace)',
    });
  });

  it('treats a message stamped slightly in the future (replica clock skew) as just sent', () => {
    expect(recall(defaults, -2_000).allowed).toBe(true);
  });

  it('offers no re-edit when the policy turns it off or gives it no time', () => {
    const off = recall(doc({ settings: { editAfterRecall: false } }), 1000);
    expect(off.allowed && off.reEditUntil).toBeUndefined();
    const zero = recall(doc({ settings: { reEditWindowSeconds: 0 } }), 1000);
    expect(zero.allowed && zero.reEditUntil).toBeUndefined();
  });

  it('refuses someone else’s message before anything else, unless forced', () => {
    const input = { actor: { userId: bob }, message: message({ sentAt: T0, type: 'TRANSFER', recalledAt: T0 }) };
    expect(recall(defaults, 0, input)).toMatchObject({ code: 'NOT_SENDER', rule: 'BUILT_IN:SENDER_ONLY' });
    expect(recall(defaults, 0, { ...input, actor: { userId: bob, forced: true } })).toMatchObject({
      code: 'ALREADY_RECALLED',
    });
  });

  it('answers RECALL_OFF before TYPE_NOT_RECALLABLE, and that before WINDOW_EXPIRED', () => {
    const policy = doc({ settings: { recallableTypes: ['IMAGE'] } });
    expect(recall(policy, 999_999_999)).toMatchObject({ code: 'TYPE_NOT_RECALLABLE', rule: 'TENANT_DEFAULT' });
    expect(recall(doc({ settings: { windowSeconds: 0, recallableTypes: ['IMAGE'] } }), 0)).toMatchObject({ code: 'RECALL_OFF' });
  });

  it('asks for a reason only after the window check, and only past the age threshold', () => {
    const policy = doc({ settings: { windowSeconds: 3600, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 } });
    expect(recall(policy, 60_000).allowed).toBe(true);
    expect(recall(policy, 60_001)).toMatchObject({ code: 'REASON_REQUIRED' });
    expect(recall(policy, 60_001, { reason: ' \n ' })).toMatchObject({ code: 'REASON_REQUIRED' });
    expect(recall(policy, 60_001, { reason: 'wrong channel' }).allowed).toBe(true);
    expect(recall(policy, 3_605_001)).toMatchObject({ code: 'WINDOW_EXPIRED' });
    expect(recall(doc({ settings: { requireReason: 'ALWAYS' } }), 0)).toMatchObject({ code: 'REASON_REQUIRED' });
  });

  it('rate-limits at maxRecallsPerHour with a retry-after from the oldest recall in the hour', () => {
    const policy = doc({ settings: { maxRecallsPerHour: 3 } });
    expect(recall(policy, 0, { recentRecalls: { count: 2, oldestAt: T0 - 1000 } }).allowed).toBe(true);
    expect(recall(policy, 0, { recentRecalls: { count: 3, oldestAt: T0 - 2_999_500 } })).toMatchObject({
      allowed: false,
      code: 'RATE_LIMITED',
      retryAfterSeconds: 601,
    });
    expect(recall(policy, 0, { recentRecalls: { count: 3 } })).toMatchObject({ retryAfterSeconds: 3600 });
    expect(recall(doc({ settings: { maxRecallsPerHour: 0 } }), 0, { recentRecalls: { count: 1e6 } }).allowed).toBe(true);
  });

  it('names the override that set the deciding field, not merely the most specific one that exists', () => {
    // Groups get 10 minutes; the Legal group only adds "a reason is always required".
    const policy = doc({
      settings: {},
      overrides: [
        { target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { windowSeconds: 600 } },
        { target: { kind: 'CONVERSATION', conversationId: legal, label: 'Legal' }, settings: { requireReason: 'ALWAYS' } },
      ],
    });
    const inLegal = { message: message({ sentAt: T0, conversation: { id: legal, kind: 'GROUP' } }) };
    const late = recall(policy, 700_000, inLegal);
    expect(late).toMatchObject({ code: 'WINDOW_EXPIRED', rule: 'CONVERSATION_KIND:GROUP' });
    expect(late.effective.rule).toBe(`CONVERSATION:${legal}`);
    expect(recall(policy, 1000, inLegal)).toMatchObject({ code: 'REASON_REQUIRED', rule: `CONVERSATION:${legal}` });
    expect(recall(policy, 1000, { ...inLegal, reason: 'typo' })).toMatchObject({ allowed: true, rule: `CONVERSATION:${legal}` });
    // In another group only the kind override matters.
    expect(recall(policy, 1000)).toMatchObject({ allowed: true, rule: 'CONVERSATION_KIND:GROUP' });
  });

  it('rejects invalid instants loudly instead of deciding on NaN', () => {
    expect(() => recall(defaults, Number.NaN)).toThrow(RangeError);
    expect(() => recall(defaults, 0, { message: message({ sentAt: new Date('not a date') }) })).toThrow(
      'message.sentAt must be a valid Date or epoch milliseconds',
    );
  });
});
