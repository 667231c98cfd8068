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

/**
 * Loads messages of the tenant by id; with `lock`, takes their row locks first, in id order (so
 * concurrent batches cannot deadlock), which serializes concurrent recalls of one message.
 */
export async function loadMessages(tx: Tx, tenantId: string, ids: readonly string[], options: { lock: boolean }): Promise<Map<string, MessageRecord>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  if (unique.length === 0) return new Map();
  if (options.lock) {
    await tx.$queryRaw`SELECT id FROM messages WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${unique}::uuid[]) ORDER BY id FOR UPDATE`;
  }
  const rows = await tx.message.findMany({ where: { tenantId, id: { in: unique } } });
  if (rows.length === 0) return new Map();
  const conversationIds = [...new Set(rows.map((r) => r.conversationId))];
  // One connection per transaction: queries run one after another.
  const conversations = await tx.conversation.findMany({ where: { tenantId, id: { in: conversationIds } }, select: { id: true, kind: true } });
  const members = await tx.conversationMember.findMany({ where: { tenantId, conversationId: { in: conversationIds } }, select: { conversationId: true, userId: true } });
  const senders = await tx.user.findMany({ where: { tenantId, id: { in: [...new Set(rows.map((r) => r.senderId))] } }, select: { id: true, displayName: true } });
  const kinds = new Map(conversations.map((c) => [c.id, c.kind as ConversationKind]));
  const names = new Map(senders.map((s) => [s.id, s.displayName]));
  const membersOf = new Map<string, string[]>();
  for (const m of members) membersOf.set(m.conversationId, [...(membersOf.get(m.conversationId) ?? []), m.userId]);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        row,
        conversation: { id: row.conversationId, kind: kinds.get(row.conversationId)! },
        memberIds: membersOf.get(row.conversationId) ?? [],
        senderName: names.get(row.senderId) ?? '',
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
