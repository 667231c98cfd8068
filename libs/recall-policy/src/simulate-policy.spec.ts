import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY_DOCUMENT, PolicyDocumentSchema, type DenialCode, type PolicyDocument } from '@retract/contracts';
import { replayAttempt, simulatePolicy, type RecordedAttempt } from './simulate-policy';
import { USERS, arbAgeMs, arbConversation, arbDocument, arbMessageType, arbNow, arbUser } from './testing/arbitraries';

const [alice, bob] = USERS;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
const doc = (input: unknown): PolicyDocument => PolicyDocumentSchema.parse(input);

type Unjudged = Omit<RecordedAttempt, 'outcome'>;

const arbUnjudged: fc.Arbitrary<Unjudged> = fc
  .record({
    messageType: arbMessageType,
    senderId: arbUser,
    actorId: arbUser,
    forced: fc.boolean(),
    conversation: arbConversation,
    attemptedAt: arbNow,
    age: fc.oneof(arbAgeMs, fc.integer({ min: 0, max: 200_000 })),
    reasonPresent: fc.boolean(),
    recentRecallCount: fc.oneof(fc.nat(30), fc.nat(12_000)),
    oldestAgo: fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
    batchSize: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
  })
  .map(({ age, oldestAgo, attemptedAt, ...rest }) => ({
    ...rest,
    attemptedAt,
    sentAt: attemptedAt - age,
    recentRecallOldestAt: oldestAgo === undefined ? undefined : attemptedAt - oldestAgo,
  }));

/** What the audit trail would hold had `policy` been in force (non-policy denials mixed in). */
const recordUnder = (policy: PolicyDocument, attempt: Unjudged, alreadyRecalled: boolean): RecordedAttempt => {
  if (alreadyRecalled) return { ...attempt, outcome: { allowed: false, code: 'ALREADY_RECALLED' } };
  const code = replayAttempt(policy, { ...attempt, outcome: { allowed: true } });
  return { ...attempt, outcome: code === null ? { allowed: true } : { allowed: false, code } };
};

const arbHistory = fc.array(
  fc.tuple(
    arbUnjudged,
    fc.nat(4).map((n) => n === 0),
  ),
  { maxLength: 40 },
);

const sum = (counts: Partial<Record<DenialCode, number>>) => Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);

describe('simulatePolicy — properties', () => {
  it('reports zero changes when the proposed policy is the one that decided', () => {
    fc.assert(
      fc.property(arbDocument, arbHistory, fc.integer({ min: 1, max: 90 }), (policy, history, days) => {
        const attempts = history.map(([attempt, recalled]) => recordUnder(policy, attempt, recalled));
        expect(simulatePolicy(policy, attempts, { days })).toEqual({
          days,
          attempts: attempts.length,
          unchanged: attempts.length,
          newlyDenied: { total: 0, byCode: {} },
          newlyAllowed: { total: 0, byCode: {} },
        });
      }),
      { numRuns: 60 },
    );
  });

  it('accounts for every attempt exactly once, and counts flips the same way decideRecall sees them', () => {
    fc.assert(
      fc.property(arbDocument, arbDocument, arbHistory, (then, proposed, history) => {
        const attempts = history.map(([attempt, recalled]) => recordUnder(then, attempt, recalled));
        const result = simulatePolicy(proposed, attempts);
        expect(result.attempts).toBe(attempts.length);
        expect(result.unchanged + result.newlyDenied.total + result.newlyAllowed.total).toBe(attempts.length);
        expect(sum(result.newlyDenied.byCode)).toBe(result.newlyDenied.total);
        expect(sum(result.newlyAllowed.byCode)).toBe(result.newlyAllowed.total);
        const flips = attempts.filter((a) => {
          if (!a.outcome.allowed && a.outcome.code === 'ALREADY_RECALLED') return false;
          return a.outcome.allowed !== (replayAttempt(proposed, a) === null);
        });
        expect(result.newlyDenied.total + result.newlyAllowed.total).toBe(flips.length);
        expect(result.newlyAllowed.byCode.ALREADY_RECALLED ?? 0).toBe(0);
        expect(result.newlyAllowed.byCode.NOT_SENDER ?? 0).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});

describe('simulatePolicy — examples', () => {
  const attempt = (ageSeconds: number, outcome: RecordedAttempt['outcome'], extra: Partial<RecordedAttempt> = {}): RecordedAttempt => ({
    messageType: 'TEXT',
    senderId: alice,
    actorId: alice,
    forced: false,
    conversation: { id: '20000000-0000-4000-8000-000000000001', kind: 'GROUP' },
    sentAt: T0 - ageSeconds * 1000,
    attemptedAt: T0,
    reasonPresent: false,
    recentRecallCount: 0,
    outcome,
    ...extra,
  });
  const history = [
    attempt(30, { allowed: true }),
    attempt(90, { allowed: true }),
    attempt(200, { allowed: false, code: 'WINDOW_EXPIRED' }),
    attempt(10, { allowed: false, code: 'NOT_SENDER' }, { actorId: bob }),
    attempt(10, { allowed: false, code: 'ALREADY_RECALLED' }),
    attempt(10, { allowed: true }, { batchSize: 8 }),
  ];

  it('shows what shortening the window to one minute and batches to five would have refused', () => {
    const proposed = doc({ settings: { windowSeconds: 60, graceSeconds: 0, batchRecall: { maxBatch: 5 } } });
    expect(simulatePolicy(proposed, history, { days: 7 })).toEqual({
      days: 7,
      attempts: 6,
      unchanged: 4,
      newlyDenied: { total: 2, byCode: { WINDOW_EXPIRED: 1, BATCH_TOO_LARGE: 1 } },
      newlyAllowed: { total: 0, byCode: {} },
    });
  });

  it('shows what a longer window would have let through, leaving sender and repeat refusals alone', () => {
    const proposed = doc({ settings: { windowSeconds: 600 } });
    expect(simulatePolicy(proposed, history)).toMatchObject({
      unchanged: 5,
      newlyDenied: { total: 0 },
      newlyAllowed: { total: 1, byCode: { WINDOW_EXPIRED: 1 } },
    });
    expect(simulatePolicy(DEFAULT_POLICY_DOCUMENT, [])).toMatchObject({ days: 30, attempts: 0 });
  });

  it('replays forced recalls as forced (only the reason matters) and reads reasons as recorded', () => {
    const forcedOld = attempt(86_000, { allowed: true }, { forced: true, actorId: bob, reasonPresent: true });
    const reasonless = attempt(30, { allowed: true });
    const proposed = doc({ settings: { windowSeconds: 0 } });
    expect(simulatePolicy(proposed, [forcedOld, reasonless])).toMatchObject({
      unchanged: 1,
      newlyDenied: { total: 1, byCode: { RECALL_OFF: 1 } },
    });
    expect(simulatePolicy(doc({ settings: { requireReason: 'ALWAYS' } }), [forcedOld, reasonless])).toMatchObject({
      newlyDenied: { byCode: { REASON_REQUIRED: 1 } },
    });
  });
});
