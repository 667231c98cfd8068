import type { PolicyDocument, PolicyRuleName } from '@retract/contracts';
import { decideRecall, type RecallActor, type RecallDecision, type RecallMessage, type RecentRecalls } from './decide-recall';
import { toMillis, toOptionalMillis, type Instant } from './instant';
import { mostSpecificSource, resolveEffectivePolicy, type EffectivePolicy } from './resolve-effective-policy';

export interface BatchRecallInput {
  policy: PolicyDocument;
  policyVersion: number;
  /** In request order; judged in that order. */
  messages: readonly RecallMessage[];
  actor: RecallActor;
  now: Instant;
  /** One reason for the whole request. */
  reason?: string | null;
  recentRecalls: RecentRecalls;
}

export type BatchGateCode = 'BATCH_DISABLED' | 'BATCH_TOO_LARGE';

export interface BatchAccepted {
  accepted: true;
  /** The rule that let the batch through (the most specific rule that set batchRecall). */
  rule: PolicyRuleName;
  policyVersion: number;
  effective: EffectivePolicy;
  /** One result per requested message, in request order. */
  results: { messageId: string; decision: RecallDecision }[];
}

/** The whole request is refused by the batch settings; no message was judged. */
export interface BatchRefused {
  accepted: false;
  code: BatchGateCode;
  rule: PolicyRuleName;
  policyVersion: number;
  effective: EffectivePolicy;
  maxBatch: number;
  detail: string;
}

/** The request is not a batch the API should have accepted (422, not a policy denial). */
export interface BatchInvalid {
  accepted: false;
  code: 'VALIDATION_FAILED';
  problem: 'EMPTY' | 'MIXED_SENDERS' | 'MIXED_CONVERSATIONS';
  detail: string;
}

export type BatchDecision = BatchAccepted | BatchRefused | BatchInvalid;

/**
 * The batch gate alone (also used by the simulation): BATCH_DISABLED, then
 * BATCH_TOO_LARGE for the whole request. `null` when the batch may proceed.
 */
export function checkBatchGate(effective: EffectivePolicy, size: number): { code: BatchGateCode; rule: PolicyRuleName; detail: string } | null {
  const { enabled, maxBatch } = effective.settings.batchRecall;
  if (!enabled) {
    return {
      code: 'BATCH_DISABLED',
      rule: mostSpecificSource(effective, ['batchRecall.enabled']),
      detail: 'batch recall is turned off here; recall messages one at a time',
    };
  }
  if (size > maxBatch) {
    return {
      code: 'BATCH_TOO_LARGE',
      rule: mostSpecificSource(effective, ['batchRecall.maxBatch']),
      detail: `a batch may hold at most ${maxBatch} messages; this one has ${size}`,
    };
  }
  return null;
}

/**
 * Decides a batch recall (DESIGN §2): the messages must share one sender and one
 * conversation; the batch settings of that conversation's effective policy gate the
 * whole request; then each message is judged on its own by `decideRecall`, in request
 * order, with the actor's recall count growing by one for every recall allowed before it
 * (so a rate limit can cut a batch short), and a message repeated in the request
 * answering ALREADY_RECALLED the second time.
 */
export function decideBatch(input: BatchRecallInput): BatchDecision {
  const { policy, policyVersion, messages, actor, reason } = input;
  const now = toMillis(input.now, 'now');
  const [first] = messages;
  if (!first) {
    return { accepted: false, code: 'VALIDATION_FAILED', problem: 'EMPTY', detail: 'a batch needs at least one message' };
  }
  const conversationId = first.conversation.id.toLowerCase();
  if (messages.some((m) => m.conversation.id.toLowerCase() !== conversationId || m.conversation.kind !== first.conversation.kind)) {
    return {
      accepted: false,
      code: 'VALIDATION_FAILED',
      problem: 'MIXED_CONVERSATIONS',
      detail: 'all messages of a batch must belong to one conversation',
    };
  }
  if (messages.some((m) => m.senderId !== first.senderId)) {
    return {
      accepted: false,
      code: 'VALIDATION_FAILED',
      problem: 'MIXED_SENDERS',
      detail: 'all messages of a batch must have the same sender',
    };
  }

  const effective = resolveEffectivePolicy(policy, first.conversation);
  const gate = checkBatchGate(effective, messages.length);
  if (gate) {
    return { accepted: false, ...gate, policyVersion, effective, maxBatch: effective.settings.batchRecall.maxBatch };
  }

  let count = input.recentRecalls.count;
  let oldestAt = toOptionalMillis(input.recentRecalls.oldestAt, 'recentRecalls.oldestAt');
  const recalledHere = new Set<string>();
  const results = messages.map((message) => {
    const decision = decideRecall({
      policy,
      policyVersion,
      actor,
      now,
      reason,
      recentRecalls: { count, oldestAt },
      message: recalledHere.has(message.id) ? { ...message, recalledAt: now } : message,
    });
    if (decision.allowed) {
      recalledHere.add(message.id);
      count += 1;
      oldestAt ??= now;
    }
    return { messageId: message.id, decision };
  });

  return {
    accepted: true,
    rule: mostSpecificSource(effective, ['batchRecall.enabled', 'batchRecall.maxBatch']),
    policyVersion,
    effective,
    results,
  };
}
