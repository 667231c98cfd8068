import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { asSubject } from '@retract/authz';
import { contentProblems, type MessageView, type ReEditRequest } from '@retract/contracts';
import { decideReEdit } from '@retract/recall-policy';
import { TenantDb } from '../../../common/database/database.module';
import { ProblemException, conflict, forbidden, notFound } from '../../../common/problem/problem';
import { AuditLog } from '../../audit/audit-log';
import { Clock } from '../../clock/clock';
import { EventLog } from '../../events/event-log';
import { isUniqueViolation } from '../../messages/db-errors';
import { MessageSeal } from '../../messages/message-seal';
import { loadMessage, reEditedAt, recallEntrySeq } from '../../messages/message-store';
import { toMessageView } from '../../messages/message-view';
import { createMessage } from '../../messages/messages.service';
import type { RecallActorContext } from '../recall-steps';

const alreadyUsed = () =>
  new ProblemException({ status: 422, code: 'REEDIT_EXPIRED', detail: 'This recalled message was already re-edited.', extensions: { reason: 'ALREADY_USED' } });

/**
 * Re-edit after recall (DESIGN §2): the sender sends the edited draft as a new message of the
 * same type linked to the recalled one (`replacesMessageId`), once, until the deadline fixed at
 * recall time. Audited as MESSAGE_REEDITED (ids only: the new message is live content, and the
 * recalled content is already in the recall's encrypted entry).
 */
@Injectable()
export class ReEditMessage {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly seal: MessageSeal,
  ) {}

  async execute(actor: RecallActorContext, messageId: string, request: ReEditRequest): Promise<MessageView> {
    const now = this.clock.now();
    try {
      return await this.tenantDb.sql(actor, async (tx) => {
        const record = await loadMessage(tx, this.seal, actor.tenantId, messageId, { lock: true });
        if (!record) throw notFound('message');
        const { row } = record;
        const member = record.memberIds.includes(actor.userId);
        if (!member && !actor.ability.can('read', asSubject('Message', { tenantId: actor.tenantId, memberIds: record.memberIds }))) throw notFound('message');
        const decision = decideReEdit({
          senderId: row.senderId,
          actorId: actor.userId,
          recalledAt: row.recalledAt,
          reEditUntil: row.reeditUntil,
          reEditedAt: await reEditedAt(tx, actor.tenantId, row.id),
          now,
        });
        if (!decision.allowed) {
          if (decision.code === 'NOT_SENDER')
            throw new ProblemException({ status: 403, code: 'NOT_SENDER', detail: 'Only the sender may re-edit a recalled message.' });
          if (decision.code === 'CONFLICT') throw conflict('Only a recalled message can be re-edited.');
          throw new ProblemException({
            status: 422,
            code: 'REEDIT_EXPIRED',
            detail: `${decision.detail.charAt(0).toUpperCase()}${decision.detail.slice(1)}.`,
            extensions: { reason: decision.reason },
          });
        }
        if (!member || !actor.ability.can('update', asSubject('Message', { tenantId: actor.tenantId, senderId: row.senderId }))) throw forbidden();
        const problems = contentProblems(row.type, request);
        if (problems.length) {
          throw new ProblemException({
            status: 400,
            code: 'VALIDATION_FAILED',
            detail: `The edited content does not fit a ${row.type} message.`,
            errors: problems.map(([field, message]) => ({ field, message, code: 'custom' })),
          });
        }
        const newId = randomUUID();
        await this.audit.append(tx, actor.tenantId, {
          action: 'MESSAGE_REEDITED',
          actorId: actor.userId,
          subjectUserId: row.senderId,
          conversationId: row.conversationId,
          messageId: newId,
          details: {
            replacesMessageId: row.id,
            recallAuditSeq: await recallEntrySeq(tx, actor.tenantId, row.id),
            messageType: row.type,
            reEditUntil: decision.reEditUntil.toISOString(),
          },
        });
        const created = await createMessage(tx, this.seal, this.events, {
          id: newId,
          tenantId: actor.tenantId,
          conversationId: row.conversationId,
          senderId: actor.userId,
          senderName: record.senderName,
          type: row.type,
          content: request,
          now,
          replacesMessageId: row.id,
        });
        return toMessageView(created, { viewer: actor, senderName: record.senderName, now });
      });
    } catch (error) {
      // The unique index on replaces_message_id is the backstop for a race the row lock already prevents.
      if (isUniqueViolation(error)) throw alreadyUsed();
      throw error;
    }
  }
}
