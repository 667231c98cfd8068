import { problemDetailTexts, recallNotices, type ExternalMessage, type PolicyDocument, type RecallDecision as RecallDecisionView } from '@retract/contracts';
import { decideRecall, type RecallDecision, type RecentRecalls } from '@retract/recall-policy';

/** Whether any rule of the policy limits recalls per hour (then the per-actor count must be exact). */
export const rateLimited = (policy: PolicyDocument) =>
  policy.settings.maxRecallsPerHour > 0 || policy.overrides.some((o) => (o.settings.maxRecallsPerHour ?? 0) > 0);

export interface ExternalDecisionFacts {
  policy: { document: PolicyDocument; version: number };
  message: ExternalMessage;
  /** Retract's ids (or stand-ins for people and conversations it does not know yet: a decision creates nothing). */
  messageId: string;
  senderId: string;
  actorId: string;
  conversationId: string;
  sentAt: Date;
  recalledAt: Date | null;
  forced: boolean;
  reason: string | undefined;
  now: Date;
  recent: RecentRecalls;
}

/** The same pure decision the built-in messaging uses (libs/recall-policy), on the chat system's message. */
export function decideExternal(facts: ExternalDecisionFacts): RecallDecision {
  return decideRecall({
    policy: facts.policy.document,
    policyVersion: facts.policy.version,
    message: {
      id: facts.messageId,
      type: facts.message.type,
      senderId: facts.senderId,
      conversation: { id: facts.conversationId, kind: facts.message.conversation.kind },
      sentAt: facts.sentAt,
      recalledAt: facts.recalledAt,
    },
    actor: { userId: facts.actorId, forced: facts.forced },
    now: facts.now,
    reason: facts.reason,
    recentRecalls: facts.recent,
  });
}

/** What a chat system is answered: the decision, the window's end by Retract's clock, and the notices to show. */
export function decisionView(decision: RecallDecision, sentAt: Date, senderName: string): RecallDecisionView {
  const { settings } = decision.effective;
  const windowEndsAt = new Date(sentAt.getTime() + (settings.windowSeconds + settings.graceSeconds) * 1000);
  return {
    allowed: decision.allowed,
    ...(decision.allowed ? {} : { code: decision.code }),
    rule: decision.rule,
    policyVersion: decision.policyVersion,
    windowEndsAt: windowEndsAt.toISOString(),
    ...(decision.allowed && decision.reEditUntil ? { reEditUntil: decision.reEditUntil.toISOString() } : {}),
    ...(!decision.allowed && decision.retryAfterSeconds !== undefined ? { retryAfterSeconds: decision.retryAfterSeconds } : {}),
    // A refusal's notices say why it was refused (the catalog its problem details use), never that the message was recalled.
    notices: decision.allowed ? recallNotices({ senderName, kind: decision.forced ? 'FORCED' : 'SENDER' }) : problemDetailTexts(decision.explanation),
  };
}
