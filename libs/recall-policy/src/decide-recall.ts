import {
  isPaymentType,
  type BuiltInRule,
  type DecisionRule,
  type DenialCode,
  type MessageType,
  type PolicyDocument,
  type PolicyField,
  type ProblemDetailMessage,
} from '@retract/contracts';
import { HOUR_MS, toMillis, toOptionalMillis, type Instant } from './instant';
import { mostSpecificSource, resolveEffectivePolicy, type ConversationRef, type EffectivePolicy } from './resolve-effective-policy';

export interface RecallMessage {
  id: string;
  type: MessageType;
  senderId: string;
  conversation: ConversationRef;
  /** Server time the message was accepted. */
  sentAt: Instant;
  /** Set when the message has already been recalled. */
  recalledAt?: Instant | null;
}

export interface RecallActor {
  userId: string;
  /**
   * A forced recall (DESIGN §2): the caller has checked that the actor holds COMPLIANCE
   * or ADMIN and asked to override the policy. This library does not look at roles.
   */
  forced?: boolean;
}

/** The actor's successful recalls in the hour before `now` (server time). */
export interface RecentRecalls {
  count: number;
  /** When the oldest of them happened; used for `retryAfterSeconds`. */
  oldestAt?: Instant | null;
}

export interface RecallDecisionInput {
  policy: PolicyDocument;
  /** The version `policy` is; echoed so the audit record says what the recall was judged under. */
  policyVersion: number;
  message: RecallMessage;
  actor: RecallActor;
  /** Server time of the decision. The only clock the decision reads. */
  now: Instant;
  reason?: string | null;
  recentRecalls: RecentRecalls;
}

interface DecisionBase {
  /**
   * The rule that decided: the most specific rule that set a setting the outcome
   * depended on, or a BUILT_IN rule when no policy setting could change the outcome.
   */
  rule: DecisionRule;
  policyVersion: number;
  forced: boolean;
  /** The policy in force for the conversation, with `effective.rule` = most specific override that applied. */
  effective: EffectivePolicy;
}

export interface RecallAllowed extends DecisionBase {
  allowed: true;
  /** Until when the sender may re-edit the recalled message; absent when re-edit is not offered. */
  reEditUntil?: Date;
}

export interface RecallDenied extends DecisionBase {
  allowed: false;
  code: DenialCode;
  /** For RATE_LIMITED: seconds until the oldest recall of the last hour leaves the window. */
  retryAfterSeconds?: number;
  /** A short English explanation without any message content, for problem details and logs. */
  detail: string;
  /** The same explanation as a catalog message, so a problem document can say it in the reader's language. */
  explanation: ProblemDetailMessage;
}

export type RecallDecision = RecallAllowed | RecallDenied;

/** Settings each policy check reads: the decision's rule is the most specific rule that set one of them. */
const CHECK_FIELDS = {
  RECALL_OFF: ['windowSeconds'],
  TYPE_NOT_RECALLABLE: ['recallableTypes'],
  WINDOW_EXPIRED: ['windowSeconds', 'graceSeconds'],
  REASON_REQUIRED: ['requireReason'],
  RATE_LIMITED: ['maxRecallsPerHour'],
} as const satisfies Record<string, readonly PolicyField[]>;

const ALLOWED_FIELDS: readonly PolicyField[] = [
  ...CHECK_FIELDS.RECALL_OFF,
  ...CHECK_FIELDS.TYPE_NOT_RECALLABLE,
  ...CHECK_FIELDS.WINDOW_EXPIRED,
  ...CHECK_FIELDS.REASON_REQUIRED,
  ...CHECK_FIELDS.RATE_LIMITED,
];

export const isBlankReason = (reason: string | null | undefined): boolean => !reason || reason.trim() === '';

const ageSeconds = (ms: number) => Number((ms / 1000).toFixed(3));
const seconds = (ms: number) => `${ageSeconds(ms)} s`;

/**
 * Decides one recall (DESIGN §2, §3). Pure: no I/O, no clock other than `now`.
 *
 * Checks, first failing one wins:
 *  1. NOT_SENDER           someone else's message, not forced            BUILT_IN:SENDER_ONLY
 *  2. ALREADY_RECALLED     the message was recalled before               BUILT_IN:RECALL_ONCE
 *  3. TYPE_NOT_RECALLABLE  payment type (even forced)                    BUILT_IN:PAYMENT_TYPES
 *  4. forced: REASON_REQUIRED without a reason, otherwise allowed        BUILT_IN:FORCED_RECALL
 *  5. RECALL_OFF           windowSeconds = 0                             policy
 *  6. TYPE_NOT_RECALLABLE  type not in recallableTypes                   policy
 *  7. WINDOW_EXPIRED       now - sentAt > (window + grace) s             policy
 *  8. REASON_REQUIRED      ALWAYS, or AFTER_SECONDS and older than that  policy
 *  9. RATE_LIMITED         maxRecallsPerHour reached                     policy
 * See the README for why this order.
 */
export function decideRecall(input: RecallDecisionInput): RecallDecision {
  const { policy, policyVersion, message, actor, reason, recentRecalls } = input;
  const now = toMillis(input.now, 'now');
  const sentAt = toMillis(message.sentAt, 'message.sentAt');
  const recalledAt = toOptionalMillis(message.recalledAt, 'message.recalledAt');
  const forced = actor.forced === true;
  const effective = resolveEffectivePolicy(policy, message.conversation);
  const { settings } = effective;
  const base = { policyVersion, forced, effective };

  const builtIn = (code: DenialCode, rule: BuiltInRule, detail: string, explanation: ProblemDetailMessage): RecallDenied => ({
    allowed: false,
    code,
    rule,
    detail,
    explanation,
    ...base,
  });
  const denied = (
    code: keyof typeof CHECK_FIELDS,
    detail: string,
    explanation: ProblemDetailMessage,
    extra: { retryAfterSeconds?: number } = {},
  ): RecallDenied => ({
    allowed: false,
    code,
    rule: mostSpecificSource(effective, CHECK_FIELDS[code]),
    detail,
    explanation,
    ...extra,
    ...base,
  });

  // 1-3: facts no policy can change.
  if (actor.userId !== message.senderId && !forced) {
    return builtIn('NOT_SENDER', 'BUILT_IN:SENDER_ONLY', 'only the sender may recall a message', { key: 'NOT_SENDER' });
  }
  if (recalledAt !== undefined) {
    return builtIn('ALREADY_RECALLED', 'BUILT_IN:RECALL_ONCE', 'the message has already been recalled', { key: 'ALREADY_RECALLED' });
  }
  if (isPaymentType(message.type)) {
    return builtIn('TYPE_NOT_RECALLABLE', 'BUILT_IN:PAYMENT_TYPES', `${message.type} is a payment and can never be recalled`, {
      key: 'TYPE_NOT_RECALLABLE.payment',
      params: { type: message.type },
    });
  }

  // 4: forced recall bypasses window, type policy and rate limit, never the reason.
  if (forced) {
    if (isBlankReason(reason)) {
      return builtIn('REASON_REQUIRED', 'BUILT_IN:FORCED_RECALL', 'a forced recall always needs a reason', { key: 'REASON_REQUIRED.forced' });
    }
    return { allowed: true, rule: 'BUILT_IN:FORCED_RECALL', ...base };
  }

  // 5-9: the tenant's policy.
  if (settings.windowSeconds === 0) {
    return denied('RECALL_OFF', 'recall is turned off here', { key: 'RECALL_OFF' });
  }
  if (!settings.recallableTypes.includes(message.type)) {
    return denied('TYPE_NOT_RECALLABLE', `${message.type} messages may not be recalled here`, {
      key: 'TYPE_NOT_RECALLABLE.policy',
      params: { type: message.type },
    });
  }
  const age = now - sentAt;
  const limitMs = (settings.windowSeconds + settings.graceSeconds) * 1000;
  if (age > limitMs) {
    return denied(
      'WINDOW_EXPIRED',
      `the message is ${seconds(age)} old; it could be recalled for ${settings.windowSeconds} s (+${settings.graceSeconds} s grace)`,
      // What a person reads (a problem's detail, a chat system's notice) counts whole seconds, rounded up so it is always past the limit.
      { key: 'WINDOW_EXPIRED.age', params: { age: Math.ceil(age / 1000), windowSeconds: settings.windowSeconds, graceSeconds: settings.graceSeconds } },
    );
  }
  if (isBlankReason(reason)) {
    if (settings.requireReason === 'ALWAYS') {
      return denied('REASON_REQUIRED', 'a reason is required for every recall', { key: 'REASON_REQUIRED.always' });
    }
    if (settings.requireReason === 'AFTER_SECONDS' && age > (settings.reasonAfterSeconds ?? 0) * 1000) {
      return denied('REASON_REQUIRED', `a reason is required once a message is older than ${settings.reasonAfterSeconds} s`, {
        key: 'REASON_REQUIRED.after',
        params: { seconds: settings.reasonAfterSeconds ?? 0 },
      });
    }
  }
  if (settings.maxRecallsPerHour > 0 && recentRecalls.count >= settings.maxRecallsPerHour) {
    const oldest = toOptionalMillis(recentRecalls.oldestAt, 'recentRecalls.oldestAt');
    const waitMs = oldest === undefined ? HOUR_MS : oldest + HOUR_MS - now;
    const retryAfterSeconds = Math.min(3600, Math.max(1, Math.ceil(waitMs / 1000)));
    return denied(
      'RATE_LIMITED',
      `at most ${settings.maxRecallsPerHour} recalls per hour`,
      { key: 'RATE_LIMITED.hourly', params: { max: settings.maxRecallsPerHour } },
      { retryAfterSeconds },
    );
  }

  const allowed: RecallAllowed = { allowed: true, rule: mostSpecificSource(effective, ALLOWED_FIELDS), ...base };
  if (settings.editAfterRecall && settings.reEditWindowSeconds > 0) {
    allowed.reEditUntil = new Date(now + settings.reEditWindowSeconds * 1000);
  }
  return allowed;
}
