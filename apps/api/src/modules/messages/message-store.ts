import type { Attachment, ConversationKind, MessageLocation, Payment, RecallReach } from '@retract/contracts';
import { Prisma, type Message, type Tx } from '@retract/db';

/**
 * Content besides `body` lives in the `attachment` jsonb column as one of
 * `{attachment}`, `{location}` or `{payment}`; a recall sets the column (and `body`) to NULL.
 */
export interface StoredExtras {
  attachment?: Attachment;
  location?: MessageLocation;
  payment?: Payment;
}

export interface MessageContent {
  body: string | null;
  attachment: Attachment | null;
  location: MessageLocation | null;
  payment: Payment | null;
}

export function contentOf(row: Pick<Message, 'body' | 'attachment'>): MessageContent {
  const extras = (row.attachment ?? {}) as StoredExtras;
  return { body: row.body, attachment: extras.attachment ?? null, location: extras.location ?? null, payment: extras.payment ?? null };
}

export function extrasFor(content: { attachment?: Attachment; location?: MessageLocation; payment?: Payment }): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (content.attachment) return { attachment: content.attachment } as Prisma.InputJsonValue;
  if (content.location) return { location: content.location } as Prisma.InputJsonValue;
  if (content.payment) return { payment: content.payment } as Prisma.InputJsonValue;
  return Prisma.DbNull;
}

/** A message with what every check on it needs: its conversation, the members, the sender's name. */
export interface MessageRecord {
  row: Message;
  conversation: { id: string; kind: ConversationKind };
  memberIds: string[];
  senderName: string;
}

type LoadedRow = {
  tenant_id: string;
  id: string;
  conversation_id: string;
  sender_id: string;
  type: string;
  body: string | null;
  attachment: Prisma.JsonValue | null;
  sent_at: Date;
  replaces_message_id: string | null;
  recalled_at: Date | null;
  recalled_by: string | null;
  recall_audit_seq: bigint | number | null;
  reedit_until: Date | null;
  conversation_kind: string;
  sender_name: string;
  member_ids: string[];
};

/**
 * Loads messages of the tenant by id, with their conversation's kind and members and the
 * sender's name, in one round trip; with `lock`, takes the messages' row locks, in id order (so
 * concurrent batches cannot deadlock), which serializes concurrent recalls of one message.
 */
export async function loadMessages(tx: Tx, tenantId: string, ids: readonly string[], options: { lock: boolean }): Promise<Map<string, MessageRecord>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  if (unique.length === 0) return new Map();
  const rows = await tx.$queryRaw<LoadedRow[]>`
    SELECT m.tenant_id, m.id, m.conversation_id, m.sender_id, m.type::text AS type, m.body, m.attachment, m.sent_at, m.replaces_message_id,
           m.recalled_at, m.recalled_by, m.recall_audit_seq, m.reedit_until,
           c.kind::text AS conversation_kind, u.display_name AS sender_name,
           ARRAY(SELECT cm.user_id FROM conversation_members cm
                  WHERE cm.tenant_id = m.tenant_id AND cm.conversation_id = m.conversation_id ORDER BY cm.user_id) AS member_ids
      FROM messages m
      JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
      JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.sender_id
     WHERE m.tenant_id = ${tenantId}::uuid AND m.id = ANY (${unique}::uuid[])
     ORDER BY m.id
     ${options.lock ? Prisma.sql`FOR UPDATE OF m` : Prisma.empty}`;
  return new Map(
    rows.map((r) => [
      r.id,
      {
        row: {
          tenantId: r.tenant_id,
          id: r.id,
          conversationId: r.conversation_id,
          senderId: r.sender_id,
          type: r.type as Message['type'],
          body: r.body,
          attachment: r.attachment,
          sentAt: new Date(r.sent_at),
          replacesMessageId: r.replaces_message_id,
          recalledAt: r.recalled_at === null ? null : new Date(r.recalled_at),
          recalledBy: r.recalled_by,
          recallAuditSeq: r.recall_audit_seq === null ? null : BigInt(r.recall_audit_seq),
          reeditUntil: r.reedit_until === null ? null : new Date(r.reedit_until),
        },
        conversation: { id: r.conversation_id, kind: r.conversation_kind as ConversationKind },
        memberIds: r.member_ids,
        senderName: r.sender_name,
      },
    ]),
  );
}

export async function loadMessage(tx: Tx, tenantId: string, id: string, options: { lock: boolean }): Promise<MessageRecord | undefined> {
  return (await loadMessages(tx, tenantId, [id], options)).get(id.toLowerCase());
}

/** Recall reach per recalled message: recipients (members but the sender) and how many applied the recall. */
export async function recallReach(tx: Tx, tenantId: string, messages: { id: string; recipients: number }[]): Promise<Map<string, RecallReach>> {
  if (messages.length === 0) return new Map();
  const applied = await tx.messageReceipt.groupBy({
    by: ['messageId'],
    where: { tenantId, messageId: { in: messages.map((m) => m.id) }, kind: 'RECALL_APPLIED' },
    _count: { _all: true },
  });
  const counts = new Map(applied.map((a) => [a.messageId, a._count._all]));
  return new Map(messages.map((m) => [m.id, { recipients: m.recipients, applied: counts.get(m.id) ?? 0 }]));
}

/** Which of these recalled messages were already re-edited (a recall offers one re-edit). */
export async function reEditedIds(tx: Tx, tenantId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.message.findMany({ where: { tenantId, replacesMessageId: { in: ids } }, select: { replacesMessageId: true } });
  return new Set(rows.map((r) => r.replacesMessageId!));
}
