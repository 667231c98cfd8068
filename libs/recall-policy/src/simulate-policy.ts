import { POLICY_INDEPENDENT_DENIAL_CODES, type DenialCode, type MessageType, type PolicyDocument, type SimulationResult } from '@retract/contracts';
import { checkBatchGate } from './decide-batch';
import { decideRecall } from './decide-recall';
import type { Instant } from './instant';
import { resolveEffectivePolicy, type ConversationRef } from './resolve-effective-policy';

/** One recall attempt as the audit trail recorded it (no content, no reason text). */
export interface RecordedAttempt {
  messageId?: string;
  messageType: MessageType;
  senderId: string;
  actorId: string;
  forced: boolean;
  conversation: ConversationRef;
  sentAt: Instant;
  attemptedAt: Instant;
  reasonPresent: boolean;
  /** The actor's recalls in the hour before the attempt as the decision saw it (in a batch: including the ones allowed before it). */
  recentRecallCount: number;
  recentRecallOldestAt?: Instant | null;
  /** Size of the batch request the attempt was part of; absent for a single recall. */
  batchSize?: number;
  outcome: { allowed: true } | { allowed: false; code: DenialCode };
}

const POLICY_INDEPENDENT = new Set<DenialCode>(POLICY_INDEPENDENT_DENIAL_CODES);

/** What the proposed policy would answer to one recorded attempt: null = allowed. */
export function replayAttempt(proposed: PolicyDocument, attempt: RecordedAttempt): DenialCode | null {
  if (attempt.batchSize !== undefined) {
    const gate = checkBatchGate(resolveEffectivePolicy(proposed, attempt.conversation), attempt.batchSize);
    if (gate) return gate.code;
  }
  const decision = decideRecall({
    policy: proposed,
    policyVersion: 0,
    message: {
      id: attempt.messageId ?? '',
      type: attempt.messageType,
      senderId: attempt.senderId,
      conversation: attempt.conversation,
      sentAt: attempt.sentAt,
    },
    actor: { userId: attempt.actorId, forced: attempt.forced },
    now: attempt.attemptedAt,
    // The audit trail keeps whether a reason was given; its text does not matter to the decision.
    reason: attempt.reasonPresent ? 'reason recorded' : undefined,
    recentRecalls: { count: attempt.recentRecallCount, oldestAt: attempt.recentRecallOldestAt },
  });
  return decision.allowed ? null : decision.code;
}

/**
 * Runs `decideRecall` with the proposed policy over recorded attempts and counts what
 * would change. First-order: each attempt is judged against the state recorded at the
 * time (its recall count, the message not yet recalled); it does not replay how one
 * changed outcome would have changed later attempts. Attempts refused as
 * ALREADY_RECALLED or NOT_SENDER stay as they were.
 */
export function simulatePolicy(proposed: PolicyDocument, attempts: Iterable<RecordedAttempt>, options: { days: number } = { days: 30 }): SimulationResult {
  const result: SimulationResult = {
    days: options.days,
    attempts: 0,
    unchanged: 0,
    newlyDenied: { total: 0, byCode: {} },
    newlyAllowed: { total: 0, byCode: {} },
  };
  for (const attempt of attempts) {
    result.attempts += 1;
    const before = attempt.outcome;
    if (!before.allowed && POLICY_INDEPENDENT.has(before.code)) {
      result.unchanged += 1;
      continue;
    }
    const now = replayAttempt(proposed, attempt);
    if (before.allowed && now !== null) {
      result.newlyDenied.total += 1;
      result.newlyDenied.byCode[now] = (result.newlyDenied.byCode[now] ?? 0) + 1;
    } else if (!before.allowed && now === null) {
      result.newlyAllowed.total += 1;
      result.newlyAllowed.byCode[before.code] = (result.newlyAllowed.byCode[before.code] ?? 0) + 1;
    } else {
      result.unchanged += 1;
    }
  }
  return result;
}
