import { Logger } from '@nestjs/common';
import type { Attachment, ConversationKind, DeliveredTo, MessageLocation, MessageType, Payment, ReceiptKind, RecallReach } from '@retract/contracts';
import { Prisma, type Message, type SqlTx, type Tx } from '@retract/db';
import { SealOpenError } from '../audit/aead';
import type { MessageSeal } from './message-seal';

/**
 * Content besides `body` is one of `{attachment}`, `{location}` or `{payment}`. Both are sealed
 * together in `content_sealed` under the message's data key (`content_key`, wrapped), and the
 * `body` and `attachment` columns stay NULL; rows written before sealing keep them in clear until
 * `npm run keys -- rotate` seals them (docs/keys.md). A recall sets all of them to NULL.
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

export function extrasFor(content: { attachment?: Attachment; location?: MessageLocation; payment?: Payment }): StoredExtras | null {
  if (content.attachment) return { attachment: content.attachment };
  if (content.location) return { location: content.location };
  if (content.payment) return { payment: content.payment };
  return null;
}

/** A message with what every check on it needs: its conversation, the members, the sender's name. */
export interface MessageRecord {
  row: OpenedMessage;
  conversation: { id: string; kind: ConversationKind };
  memberIds: string[];
  senderName: string;
}

/** A `messages` row as `pg` returns it. */
type MessageRow = {
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
  reedit_until: Date | null;
  content_sealed: Buffer | null;
  content_key: Buffer | null;
  content_kek_id: string | null;
};

type LoadedRow = MessageRow & {
  conversation_kind: string;
  sender_name: string;
  member_ids: string[];
};

const sealLogger = new Logger('MessageSeal');

/** A message as the API handles it: `contentUnreadable` when its stored content did not open. */
export type OpenedMessage = Message & { contentUnreadable?: true };

/**
 * The message with its content opened: `body` and `attachment` hold the plaintext in memory only.
 * Content that does not open under its own key was altered or copied from another row in the
 * database: the message is shown without content, state UNREADABLE, never with another row's
 * content (docs/keys.md, "Messages at rest").
 */
export function openedMessage(seal: MessageSeal, row: Message): OpenedMessage {
  if (!row.contentSealed || !row.contentKey || !row.contentKekId) return row;
  try {
    const content = seal.open(row.tenantId, row.id, { sealed: Buffer.from(row.contentSealed), wrappedKey: row.contentKey, kekId: row.contentKekId });
    return { ...row, body: content.body, attachment: content.extras as Prisma.JsonValue };
  } catch (error) {
    if (!(error instanceof SealOpenError)) throw error;
    sealLogger.error({ tenantId: row.tenantId, messageId: row.id }, 'stored content does not open under its own key: altered or moved in the database');
    return { ...row, body: null, attachment: null, contentUnreadable: true };
  }
}

function messageFromRow(seal: MessageSeal, r: MessageRow): OpenedMessage {
  return openedMessage(seal, {
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
    reeditUntil: r.reedit_until === null ? null : new Date(r.reedit_until),
    contentSealed: r.content_sealed === null ? null : new Uint8Array(r.content_sealed),
    contentKey: r.content_key === null ? null : new Uint8Array(r.content_key),
    contentKekId: r.content_kek_id,
  });
}

/**
 * Loads messages of the tenant by id, with their conversation's kind and members and the
 * sender's name, in one round trip; with `lock`, takes the messages' row locks, in id order (so
 * concurrent batches cannot deadlock), which serializes concurrent recalls of one message. The
 * query is the function `messages_load`: its columns follow `LoadedRow`.
 */
export async function loadMessages(
  tx: SqlTx,
  seal: MessageSeal,
  tenantId: string,
  ids: readonly string[],
  options: { lock: boolean },
): Promise<Map<string, MessageRecord>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  if (unique.length === 0) return new Map();
  // messages_load (migration 20261219100000_messages_load_function.sql) keeps its plan for the session.
  const rows = await tx.$queryRaw<LoadedRow[]>`SELECT * FROM messages_load(${tenantId}::uuid, ${unique}::uuid[], ${options.lock})`;
  return new Map(
    rows.map((r) => [
      r.id,
      {
        row: messageFromRow(seal, r),
        conversation: { id: r.conversation_id, kind: r.conversation_kind as ConversationKind },
        memberIds: r.member_ids,
        senderName: r.sender_name,
      },
    ]),
  );
}

export async function loadMessage(tx: SqlTx, seal: MessageSeal, tenantId: string, id: string, options: { lock: boolean }): Promise<MessageRecord | undefined> {
  return (await loadMessages(tx, seal, tenantId, [id], options)).get(id.toLowerCase());
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

/** Inserts a message with its body and extras (attachment, location or payment; see StoredExtras) sealed. */
export async function insertMessage(
  tx: SqlTx,
  seal: MessageSeal,
  input: {
    id?: string;
    tenantId: string;
    conversationId: string;
    senderId: string;
    type: MessageType;
    body: string | null;
    extras: StoredExtras | null;
    sentAt: Date;
    replacesMessageId?: string;
  },
): Promise<Message> {
  const id = (input.id ?? crypto.randomUUID()).toLowerCase();
  const sealed = seal.seal(input.tenantId, id, { body: input.body, extras: input.extras });
  const [row] = await tx.$queryRaw<Pick<MessageRow, 'sent_at'>[]>`
    INSERT INTO messages (tenant_id, id, conversation_id, sender_id, type, sent_at, replaces_message_id, content_sealed, content_key, content_kek_id)
    VALUES (${input.tenantId}::uuid, ${id}::uuid, ${input.conversationId}::uuid, ${input.senderId}::uuid,
            ${input.type}::message_type, ${input.sentAt}, ${input.replacesMessageId ?? null}::uuid,
            ${sealed.sealed}, ${Buffer.from(sealed.wrappedKey)}, ${sealed.kekId})
    RETURNING sent_at`;
  return {
    tenantId: input.tenantId,
    id,
    conversationId: input.conversationId,
    senderId: input.senderId,
    type: input.type,
    body: input.body,
    attachment: input.extras as Prisma.JsonValue,
    sentAt: new Date(row.sent_at),
    replacesMessageId: input.replacesMessageId ?? null,
    recalledAt: null,
    recalledBy: null,
    reeditUntil: null,
    contentSealed: new Uint8Array(sealed.sealed),
    contentKey: new Uint8Array(sealed.wrappedKey),
    contentKekId: sealed.kekId,
  };
}

/**
 * Removes the content of a recalled message from the live store and marks it recalled: the
 * ciphertext and the wrapped data key go in the same statement, so the key is destroyed in the
 * recall's own transaction (docs/keys.md).
 */
export async function markRecalled(
  tx: SqlTx,
  seal: MessageSeal,
  tenantId: string,
  id: string,
  change: { at: Date; by: string; reEditUntil: Date | null },
): Promise<Message> {
  // messages_mark_recalled (migration 20261219110000_recall_write_functions.sql): the UPDATE of the
  // content and the recall's who and when, returning a MessageRow, with its plan kept for the session.
  const [row] = await tx.$queryRaw<MessageRow[]>`
    SELECT * FROM messages_mark_recalled(${tenantId}::uuid, ${id}::uuid, ${change.at}::timestamptz, ${change.by}::uuid, ${change.reEditUntil}::timestamptz)`;
  return messageFromRow(seal, row);
}

/** The conversation's member ids (none for an unknown conversation or another tenant's). */
export async function conversationMemberIds(tx: SqlTx, tenantId: string, conversationId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM conversation_members WHERE tenant_id = ${tenantId}::uuid AND conversation_id = ${conversationId}::uuid`;
  return rows.map((r) => r.user_id);
}

/**
 * Records a receipt once (the first report's time is kept) and returns its time; `first` says this
 * call recorded it (a concurrent first report that this one did not see is the other call's).
 */
export async function recordReceipt(
  tx: SqlTx,
  tenantId: string,
  messageId: string,
  userId: string,
  kind: ReceiptKind,
  at: Date,
): Promise<{ at: Date; first: boolean }> {
  const [row] = await tx.$queryRaw<{ at: Date; first: boolean }[]>`
    WITH inserted AS (
      INSERT INTO message_receipts (tenant_id, message_id, user_id, kind, at)
      VALUES (${tenantId}::uuid, ${messageId}::uuid, ${userId}::uuid, ${kind}::receipt_kind, ${at})
      ON CONFLICT DO NOTHING
      RETURNING at
    )
    SELECT at, true AS first FROM inserted
    UNION ALL
    SELECT at, false AS first FROM message_receipts
     WHERE tenant_id = ${tenantId}::uuid AND message_id = ${messageId}::uuid AND user_id = ${userId}::uuid AND kind = ${kind}::receipt_kind
       AND NOT EXISTS (SELECT 1 FROM inserted)`;
  return row ? { at: new Date(row.at), first: row.first } : { at, first: false };
}

/** Delete for me: hides the message from one user's lists. */
export async function hideMessage(tx: SqlTx, tenantId: string, messageId: string, userId: string, at: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO message_hidden (tenant_id, message_id, user_id, hidden_at) VALUES (${tenantId}::uuid, ${messageId}::uuid, ${userId}::uuid, ${at})
    ON CONFLICT DO NOTHING`;
}

/** Recipients whose device downloaded the message's attachment, with their names, oldest first. */
export async function downloadedBy(tx: SqlTx, tenantId: string, messageId: string, recipients: string[]): Promise<DeliveredTo[]> {
  const rows = await tx.$queryRaw<{ user_id: string; display_name: string; at: Date }[]>`
    SELECT r.user_id, u.display_name, r.at FROM message_receipts r JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.user_id
     WHERE r.tenant_id = ${tenantId}::uuid AND r.message_id = ${messageId}::uuid AND r.kind = 'DOWNLOADED' AND r.user_id = ANY (${recipients}::uuid[])
     ORDER BY r.at, r.user_id`;
  return rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, at: new Date(r.at).toISOString() }));
}

/** When the recalled message was re-edited (a recall offers one re-edit), if it was. */
export async function reEditedAt(tx: SqlTx, tenantId: string, recalledId: string): Promise<Date | undefined> {
  const [row] = await tx.$queryRaw<{ sent_at: Date }[]>`
    SELECT sent_at FROM messages WHERE tenant_id = ${tenantId}::uuid AND replaces_message_id = ${recalledId}::uuid LIMIT 1`;
  return row ? new Date(row.sent_at) : undefined;
}

/** The seq of the audit entry that recorded the message's recall. */
export async function recallEntrySeq(tx: SqlTx, tenantId: string, messageId: string): Promise<number | null> {
  const [row] = await tx.$queryRaw<{ seq: bigint }[]>`
    SELECT seq FROM audit_entries WHERE tenant_id = ${tenantId}::uuid AND message_id = ${messageId}::uuid AND action = 'MESSAGE_RECALLED'
     ORDER BY seq DESC LIMIT 1`;
  return row ? Number(row.seq) : null;
}
