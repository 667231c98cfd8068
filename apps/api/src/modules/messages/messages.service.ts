import { Injectable } from '@nestjs/common';
import { asSubject } from '@retract/authz';
import {
  hasAttachment,
  type MessageListQuery,
  type MessageType,
  type MessageView,
  type ReceiptKind,
  type ReceiptView,
  type RecallReach,
  type SendMessageRequest,
} from '@retract/contracts';
import { Prisma, type SqlTx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/endpoint/keyset-cursor';
import { ProblemException, conflict, forbidden, notFound } from '../../common/problem/problem';
import { Clock } from '../clock/clock';
import { EventLog } from '../events/event-log';
import {
  conversationMemberIds,
  extrasFor,
  hideMessage,
  insertMessage,
  loadMessage,
  reEditedIds,
  recallReach,
  openedMessage,
  recordReceipt,
  type MessageRecord,
} from './message-store';
import { MessageSeal } from './message-seal';
import { toMessageView } from './message-view';

/** Is the caller a member of the message's conversation (the only way to see it)? */
export const canSee = (principal: AuthenticatedPrincipal, record: Pick<MessageRecord, 'memberIds'>) =>
  principal.ability.can('read', asSubject('Message', { tenantId: principal.tenantId, memberIds: record.memberIds }));

/** Sending, reading, receipts and delete-for-me. Recall and re-edit live in the recall module. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly seal: MessageSeal,
  ) {}

  async send(principal: AuthenticatedPrincipal, conversationId: string, request: SendMessageRequest): Promise<MessageView> {
    const now = this.clock.now();
    return this.tenantDb.sql(principal, async (tx) => {
      await this.assertMemberOf(tx, principal, conversationId);
      const row = await createMessage(tx, this.seal, this.events, {
        tenantId: principal.tenantId,
        conversationId,
        senderId: principal.userId,
        senderName: principal.displayName,
        type: request.type,
        content: request,
        now,
      });
      return toMessageView(row, { viewer: principal, senderName: principal.displayName, now });
    });
  }

  async list(principal: AuthenticatedPrincipal, conversationId: string, query: MessageListQuery) {
    const now = this.clock.now();
    const cursor = decodeKeysetCursor(query.cursor);
    return this.tenantDb.run(principal, async (tx) => {
      const memberIds = await this.assertMemberOf(tx, principal, conversationId);
      const page = await tx.$queryRaw<{ id: string }[]>`
        SELECT m.id FROM messages m
         WHERE m.tenant_id = ${principal.tenantId}::uuid AND m.conversation_id = ${conversationId}::uuid
           AND NOT EXISTS (SELECT 1 FROM message_hidden h
                            WHERE h.tenant_id = m.tenant_id AND h.message_id = m.id AND h.user_id = ${principal.userId}::uuid)
           ${cursor ? Prisma.sql`AND (m.sent_at, m.id) < (${cursor.at}, ${cursor.id}::uuid)` : Prisma.empty}
         ORDER BY m.sent_at DESC, m.id DESC
         LIMIT ${query.limit + 1}`;
      const ids = page.slice(0, query.limit).map((r) => r.id);
      const rows = ids.length ? await tx.message.findMany({ where: { tenantId: principal.tenantId, id: { in: ids } } }) : [];
      const byId = new Map(rows.map((r) => [r.id, openedMessage(this.seal, r)]));
      const ordered = ids.map((id) => byId.get(id)!);
      const senders = await tx.user.findMany({
        where: { tenantId: principal.tenantId, id: { in: [...new Set(ordered.map((r) => r.senderId))] } },
        select: { id: true, displayName: true },
      });
      const names = new Map(senders.map((s) => [s.id, s.displayName]));
      const myRecalled = ordered.filter((r) => r.recalledAt && r.senderId === principal.userId).map((r) => r.id);
      const reach = await recallReach(
        tx,
        principal.tenantId,
        myRecalled.map((id) => ({ id, recipients: memberIds.length - 1 })),
      );
      const reEdited = await reEditedIds(tx, principal.tenantId, myRecalled);
      const last = ordered[ordered.length - 1];
      return {
        items: ordered.map((row) =>
          toMessageView(row, {
            viewer: principal,
            senderName: names.get(row.senderId) ?? '',
            now,
            reEdited: reEdited.has(row.id),
            reach: reach.get(row.id) ?? null,
          }),
        ),
        nextCursor: page.length > query.limit && last ? encodeKeysetCursor(last.sentAt, last.id) : null,
      };
    });
  }

  async get(principal: AuthenticatedPrincipal, messageId: string): Promise<MessageView> {
    const now = this.clock.now();
    return this.tenantDb.run(principal, async (tx) => {
      const record = await loadMessage(tx, this.seal, principal.tenantId, messageId, { lock: false });
      if (!record || !canSee(principal, record)) throw notFound('message');
      const hidden = await tx.messageHidden.findFirst({ where: { tenantId: principal.tenantId, messageId: record.row.id, userId: principal.userId } });
      if (hidden) throw notFound('message');
      const mine = record.row.senderId === principal.userId && record.row.recalledAt !== null;
      const reach = mine
        ? await recallReach(tx, principal.tenantId, [{ id: record.row.id, recipients: record.memberIds.length - 1 }])
        : new Map<string, RecallReach>();
      const reEdited = mine ? await reEditedIds(tx, principal.tenantId, [record.row.id]) : new Set<string>();
      return toMessageView(record.row, {
        viewer: principal,
        senderName: record.senderName,
        now,
        reEdited: reEdited.has(record.row.id),
        reach: reach.get(record.row.id) ?? null,
      });
    });
  }

  /** A recipient's device reports delivery, a download, or that it applied a recall. Idempotent: the first report's time is kept. */
  async receipt(principal: AuthenticatedPrincipal, messageId: string, kind: ReceiptKind): Promise<ReceiptView> {
    const now = this.clock.now();
    return this.tenantDb.sql(principal, async (tx) => {
      const record = await loadMessage(tx, this.seal, principal.tenantId, messageId, { lock: false });
      if (!record || !canSee(principal, record)) throw notFound('message');
      const { row } = record;
      if (row.senderId === principal.userId) throw forbidden('Receipts come from recipients; a sender does not acknowledge their own message.');
      const recalled = row.recalledAt !== null;
      if (kind === 'RECALL_APPLIED' && !recalled) throw conflict('The message has not been recalled.');
      if (kind === 'DOWNLOADED') {
        if (!hasAttachment(row.type)) {
          throw new ProblemException({
            status: 400,
            code: 'VALIDATION_FAILED',
            detail: `A ${row.type} message has no attachment to download.`,
            errors: [{ field: 'kind', message: `DOWNLOADED applies to IMAGE, VIDEO, FILE and VOICE messages`, code: 'invalid_value' }],
          });
        }
        if (recalled) throw conflict('The message was recalled; its attachment is no longer available.');
      }
      const { at, first } = await recordReceipt(tx, principal.tenantId, row.id, principal.userId, kind, now);
      // The sender's view of the recall's reach ("removed for 1 of 2") follows without a reload.
      if (kind === 'RECALL_APPLIED' && first) {
        await this.events.record(tx, principal.tenantId, {
          type: 'message.recall_applied',
          conversationId: row.conversationId,
          messageId: row.id,
          payload: { messageId: row.id, conversationId: row.conversationId, senderId: row.senderId },
          at: now,
        });
      }
      return { messageId: row.id, userId: principal.userId, kind, at: at.toISOString() };
    });
  }

  /** Delete for me: hides the message from the caller's own lists only; nobody else is affected and nothing is audited. */
  async hide(principal: AuthenticatedPrincipal, messageId: string): Promise<void> {
    const now = this.clock.now();
    await this.tenantDb.sql(principal, async (tx) => {
      const record = await loadMessage(tx, this.seal, principal.tenantId, messageId, { lock: false });
      if (!record || !principal.ability.can('delete', asSubject('Message', { tenantId: principal.tenantId, memberIds: record.memberIds }))) {
        throw notFound('message');
      }
      await hideMessage(tx, principal.tenantId, record.row.id, principal.userId, now);
    });
  }

  /** The conversation's member ids, or 404 when the caller is not one of them (or it is another tenant's). */
  private async assertMemberOf(tx: SqlTx, principal: AuthenticatedPrincipal, conversationId: string): Promise<string[]> {
    const memberIds = await conversationMemberIds(tx, principal.tenantId, conversationId);
    if (!principal.ability.can('read', asSubject('Conversation', { tenantId: principal.tenantId, memberIds }))) throw notFound('conversation');
    return memberIds;
  }
}

/** Inserts a message and announces it (message.created, or message.reedited when it replaces a recalled one). */
export async function createMessage(
  tx: SqlTx,
  seal: MessageSeal,
  events: EventLog,
  input: {
    id?: string;
    tenantId: string;
    conversationId: string;
    senderId: string;
    senderName: string;
    type: MessageType;
    content: Pick<SendMessageRequest, 'body' | 'attachment' | 'location' | 'payment'>;
    now: Date;
    replacesMessageId?: string;
  },
) {
  const row = await insertMessage(tx, seal, {
    id: input.id,
    tenantId: input.tenantId,
    conversationId: input.conversationId,
    senderId: input.senderId,
    type: input.type,
    body: input.content.body ?? null,
    extras: extrasFor(input.content),
    sentAt: input.now,
    replacesMessageId: input.replacesMessageId,
  });
  const payload = {
    messageId: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    type: row.type,
    sentAt: row.sentAt.toISOString(),
    ...(input.replacesMessageId ? { replacesMessageId: input.replacesMessageId } : {}),
  };
  await events.record(tx, input.tenantId, {
    type: input.replacesMessageId ? 'message.reedited' : 'message.created',
    conversationId: row.conversationId,
    messageId: row.id,
    payload,
    at: input.now,
  });
  return row;
}
