import { Injectable } from '@nestjs/common';
import { asSubject } from '@retract/authz';
import { DENIAL_STATUS, hasAttachment, recallNotice, type ReEditDraft, type RecallResponse } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import type { JsonValue } from '@retract/audit-log';
import type { RecallAllowed, RecallDecision, RecallDenied, RecallMessage, RecentRecalls, RecordedAttempt } from '@retract/recall-policy';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { ProblemException, forbidden, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import type { AuditTicket } from '../audit/audit-ticket';
import { EventLog } from '../events/event-log';
import { contentOf, downloadedBy, loadMessages, markRecalled, type MessageRecord } from '../messages/message-store';
import { MessageSeal } from '../messages/message-seal';
import { recallKindOf, toMessageView } from '../messages/message-view';
import type { StoredPolicyVersion } from '../policy/policy-store';
import { attemptToJson } from '../policy/recorded-attempts';

/** Who acts: the verified principal (or, for the demo seed, the same fields built for a demo user). */
export type RecallActorContext = Pick<AuthenticatedPrincipal, 'tenantId' | 'userId' | 'locale' | 'displayName' | 'ability'>;

/** What every attempt in one request shares. */
export interface AttemptContext {
  actor: RecallActorContext;
  now: Date;
  reason: string | undefined;
  forced: boolean;
  policy: StoredPolicyVersion;
  /** Set for batch requests: the simulation replays the batch gate too. */
  batchSize?: number;
}

export const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;

export function toRecallMessage(record: MessageRecord): RecallMessage {
  return {
    id: record.row.id,
    type: record.row.type,
    senderId: record.row.senderId,
    conversation: record.conversation,
    sentAt: record.row.sentAt,
    recalledAt: record.row.recalledAt,
  };
}

/**
 * Who may even try: a member of the conversation (or the sender) for an ordinary recall; a
 * COMPLIANCE or ADMIN user, for any message of the tenant, for a forced one. Everyone else gets
 * 404 (no existence oracle); a member asking to force without the role gets 403.
 * Who may succeed is the decision's business (NOT_SENDER and the rest, recorded as evidence).
 */
export function assertMayAttempt(actor: RecallActorContext, record: MessageRecord | undefined, force: boolean): MessageRecord {
  if (!record) throw notFound('message');
  const subject = asSubject('Message', { tenantId: actor.tenantId, senderId: record.row.senderId, memberIds: record.memberIds });
  const visible = record.row.senderId === actor.userId || actor.ability.can('read', subject);
  const mayForce = actor.ability.can('forceRecall', subject);
  if (force && !mayForce) throw visible ? forbidden('A forced recall needs the COMPLIANCE or ADMIN role.') : notFound('message');
  if (!visible && !mayForce) throw notFound('message');
  return record;
}

export function denialProblem(decision: RecallDenied, auditSeq: number | null): ProblemException {
  return new ProblemException({
    status: DENIAL_STATUS[decision.code],
    code: decision.code,
    detail: sentence(decision.detail),
    message: decision.explanation,
    retryAfter: decision.retryAfterSeconds,
    extensions: { decidedBy: decision.rule, policyVersion: decision.policyVersion, auditSeq },
  });
}

/** An applied recall before its transaction commits: the audit entry's seq is known only afterwards. */
export interface AppliedRecall {
  response: Omit<RecallResponse, 'auditSeq'>;
  entry: AuditTicket;
}

export const withAuditSeq = (applied: AppliedRecall): RecallResponse => ({ ...applied.response, auditSeq: applied.entry.seq });

/**
 * The steps of a recall that touch the database, all inside the caller's transaction:
 * count recent recalls (rate limit), apply an allowed recall (audit entry with the encrypted
 * content, content removed from the live store, event), or record a denial (audit entry, no content).
 */
@Injectable()
export class RecallSteps {
  constructor(
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly seal: MessageSeal,
  ) {}

  /** The messages to recall, locked in id order, their content opened (see loadMessages). */
  load(tx: SqlTx, tenantId: string, ids: readonly string[]): Promise<Map<string, MessageRecord>> {
    return loadMessages(tx, this.seal, tenantId, ids, { lock: true });
  }

  attempt(ctx: AttemptContext, record: MessageRecord, recent: RecentRecalls, decision: RecallDecision): RecordedAttempt {
    return {
      messageId: record.row.id,
      messageType: record.row.type,
      senderId: record.row.senderId,
      actorId: ctx.actor.userId,
      forced: ctx.forced,
      conversation: record.conversation,
      sentAt: record.row.sentAt,
      attemptedAt: ctx.now,
      reasonPresent: ctx.reason !== undefined && ctx.reason.trim() !== '',
      recentRecallCount: recent.count,
      recentRecallOldestAt: recent.oldestAt ?? null,
      ...(ctx.batchSize !== undefined ? { batchSize: ctx.batchSize } : {}),
      outcome: decision.allowed ? { allowed: true } : { allowed: false, code: decision.code },
    };
  }

  async apply(tx: SqlTx, ctx: AttemptContext, record: MessageRecord, decision: RecallAllowed, attempt: RecordedAttempt): Promise<AppliedRecall> {
    const { actor, now } = ctx;
    const { row } = record;
    if (!decision.forced && !actor.ability.can('recall', asSubject('Message', { tenantId: actor.tenantId, senderId: row.senderId }))) {
      // The decision and the CASL rules agree by construction; this is the second lock on the door.
      throw forbidden();
    }
    const recipients = record.memberIds.filter((id) => id !== row.senderId).sort();
    const delivered = hasAttachment(row.type) && recipients.length > 0 ? await downloadedBy(tx, actor.tenantId, row.id, recipients) : [];
    const content = contentOf(row);
    const reEditUntil = decision.reEditUntil ?? null;
    // The audit entry and the message's change go out together (one round trip on the pipelined
    // connection); the event follows alone, last, as EventLog asks.
    const [entry, updated] = await Promise.all([
      this.audit.append(tx, actor.tenantId, {
        action: 'MESSAGE_RECALLED',
        actorId: actor.userId,
        subjectUserId: row.senderId,
        conversationId: row.conversationId,
        messageId: row.id,
        policyVersion: decision.policyVersion,
        decidedBy: decision.rule,
        forced: decision.forced,
        reason: ctx.reason ?? null,
        details: {
          messageType: row.type,
          sentAt: row.sentAt.toISOString(),
          conversationKind: record.conversation.kind,
          recipients,
          alreadyDeliveredTo: delivered.map((d) => ({ userId: d.userId, at: d.at })),
          policyInForce: decision.effective.rule,
          reEditUntil: reEditUntil?.toISOString() ?? null,
          attempt: attemptToJson(attempt) as unknown as JsonValue,
          // The stored content did not open (altered or moved in the database): the copy below is empty, and says why.
          ...(row.contentUnreadable ? { contentUnreadable: true } : {}),
        },
        content: { subjectUserId: row.senderId, value: { type: row.type, ...content } as unknown as JsonValue },
      }),
      markRecalled(tx, this.seal, actor.tenantId, row.id, { at: now, by: actor.userId, reEditUntil }),
    ]);
    const kind = recallKindOf(updated);
    await this.events.record(tx, actor.tenantId, {
      type: 'message.recalled',
      conversationId: row.conversationId,
      messageId: row.id,
      payload: {
        messageId: row.id,
        conversationId: row.conversationId,
        senderId: row.senderId,
        recalledAt: now.toISOString(),
        recallKind: kind,
      },
      at: now,
    });
    const reach = { recipients: recipients.length, applied: 0 };
    const draft: ReEditDraft | null = reEditUntil ? { type: row.type, ...content, validUntil: reEditUntil.toISOString() } : null;
    return {
      entry,
      response: {
        message: toMessageView(updated, { viewer: actor, senderName: record.senderName, now, reEdited: false, reach }),
        notice: recallNotice(actor.locale, { senderName: record.senderName, viewerIsSender: actor.userId === row.senderId, kind }),
        reEditDraft: draft,
        alreadyDeliveredTo: delivered,
        policyVersion: decision.policyVersion,
        decidedBy: decision.rule,
        forced: decision.forced,
        reach,
      },
    };
  }

  /**
   * A refused attempt is evidence (DESIGN §2): RECALL_DENIED with the code and the rule, never
   * content. ALREADY_RECALLED is not recorded again: the recall it repeats is in the log already,
   * and retries of a finished recall (or a race of many) must not flood it.
   */
  async recordDenial(tx: SqlTx, ctx: AttemptContext, record: MessageRecord, decision: RecallDenied, attempt: RecordedAttempt): Promise<AuditTicket | null> {
    if (decision.code === 'ALREADY_RECALLED') return null;
    const { row } = record;
    return this.audit.append(tx, ctx.actor.tenantId, {
      action: 'RECALL_DENIED',
      actorId: ctx.actor.userId,
      subjectUserId: row.senderId,
      conversationId: row.conversationId,
      messageId: row.id,
      policyVersion: decision.policyVersion,
      decidedBy: decision.rule,
      denialCode: decision.code,
      forced: decision.forced,
      reason: ctx.reason ?? null,
      details: {
        messageType: row.type,
        sentAt: row.sentAt.toISOString(),
        conversationKind: record.conversation.kind,
        policyInForce: decision.effective.rule,
        retryAfterSeconds: decision.retryAfterSeconds ?? null,
        ...(ctx.batchSize !== undefined ? { batchSize: ctx.batchSize } : {}),
        attempt: attemptToJson(attempt) as unknown as JsonValue,
      },
    });
  }
}
