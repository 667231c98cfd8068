import { z } from 'zod';
import { DecisionRuleSchema, DenialCodeSchema, MessageTypeSchema, type MessageType } from './policy';
import type { Locale } from './roles';
import { cursorText, dateTimeText, displayNameText, MAX_CURSOR_LENGTH, pageOf, serverText } from './bounds';
import { MAX_CONVERSATION_MEMBERS } from './conversations';
import { freeText, httpUrl, isBlank, storableString } from './text';

/*
 * Messages and recall over HTTP (DESIGN §2, §6):
 *   GET  /api/v1/conversations/:id/messages     newest first; recalled ones as localized notices
 *   POST /api/v1/conversations/:id/messages     send
 *   GET  /api/v1/messages/:id                   one message (content while it exists)
 *   POST /api/v1/messages/:id/recall            single (or forced) recall
 *   POST /api/v1/messages/recall                batch recall, a result per message
 *   POST /api/v1/messages/:id/re-edit           send the re-edited draft of a recalled message
 *   POST /api/v1/messages/:id/receipts          DELIVERED | DOWNLOADED | RECALL_APPLIED (recipients)
 *   DELETE /api/v1/messages/:id                 delete for me
 */

export const MessageIdParamsSchema = z.strictObject({ id: z.uuid({ error: 'must be a message id (UUID)' }) });
export type MessageIdParams = z.infer<typeof MessageIdParamsSchema>;

// ---------------------------------------------------------------------------
// Content (what a recall removes from the live store)

export const MAX_BODY_LENGTH = 10_000;

/** Attachments are metadata: the bytes live in the customer's object store, addressed by `url`. */
export const AttachmentSchema = z.strictObject({
  name: freeText(255),
  /** Bytes. */
  size: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0).max(Number.MAX_SAFE_INTEGER),
  mimeType: z
    .string()
    .max(255)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, { error: 'must be a MIME type such as image/png' }),
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: z
    .string()
    .length(64, { error: 'must be a SHA-256 digest in lower-case hex (64 characters)', abort: true })
    .regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 digest in lower-case hex (64 characters)' }),
  url: httpUrl,
  /** VOICE / VIDEO: length in seconds. */
  durationSeconds: z.number().min(0).max(86_400).optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const LocationSchema = z.strictObject({
  latitude: z.number({ error: 'must be a number' }).min(-90).max(90),
  longitude: z.number({ error: 'must be a number' }).min(-180).max(180),
  label: freeText(200).optional(),
});
export type MessageLocation = z.infer<typeof LocationSchema>;

/** RED_PACKET / TRANSFER: the amount in minor units (cents, fen) and an ISO 4217 currency. */
export const PaymentSchema = z.strictObject({
  amountMinor: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number of minor units' }).min(1).max(1_000_000_000_000),
  currency: z
    .string()
    .length(3, { error: 'must be an ISO 4217 code such as CNY', abort: true })
    .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as CNY' }),
});
export type Payment = z.infer<typeof PaymentSchema>;

const bodyField = freeText(MAX_BODY_LENGTH);

/** The content fields of a message; which ones a type needs is checked by `contentProblems`. */
const contentShape = {
  body: bodyField.optional(),
  attachment: AttachmentSchema.optional(),
  location: LocationSchema.optional(),
  payment: PaymentSchema.optional(),
};

export interface MessageContentInput {
  body?: string;
  attachment?: Attachment;
  location?: MessageLocation;
  payment?: Payment;
}

const ATTACHMENT_MIME_PREFIX: Partial<Record<MessageType, string>> = { IMAGE: 'image/', VIDEO: 'video/', VOICE: 'audio/' };
export const ATTACHMENT_TYPES = ['IMAGE', 'VIDEO', 'FILE', 'VOICE'] as const satisfies readonly MessageType[];
export const hasAttachment = (type: MessageType) => (ATTACHMENT_TYPES as readonly string[]).includes(type);

/**
 * What each type needs: TEXT a body; IMAGE/VIDEO/FILE/VOICE an attachment (body = optional
 * caption); LOCATION a location; RED_PACKET/TRANSFER a payment (body = optional memo).
 * Returns problems as [path, message]; empty when the content fits the type.
 */
export function contentProblems(type: MessageType, content: MessageContentInput): [string, string][] {
  const problems: [string, string][] = [];
  const need = (field: keyof MessageContentInput) => {
    if (content[field] === undefined) problems.push([field, `is required for ${type} messages`]);
  };
  const forbid = (...fields: (keyof MessageContentInput)[]) =>
    fields.forEach((field) => content[field] !== undefined && problems.push([field, `is not allowed for ${type} messages`]));
  switch (type) {
    case 'TEXT':
      need('body');
      forbid('attachment', 'location', 'payment');
      break;
    case 'IMAGE':
    case 'VIDEO':
    case 'FILE':
    case 'VOICE': {
      need('attachment');
      forbid('location', 'payment');
      const prefix = ATTACHMENT_MIME_PREFIX[type];
      if (prefix && content.attachment && !content.attachment.mimeType.toLowerCase().startsWith(prefix)) {
        problems.push(['attachment.mimeType', `must be ${prefix}* for ${type} messages`]);
      }
      break;
    }
    case 'LOCATION':
      need('location');
      forbid('attachment', 'payment');
      break;
    case 'RED_PACKET':
    case 'TRANSFER':
      need('payment');
      forbid('attachment', 'location');
      break;
  }
  return problems;
}

export const SendMessageRequestSchema = z.strictObject({ type: MessageTypeSchema, ...contentShape }).superRefine((value, ctx) => {
  for (const [path, message] of contentProblems(value.type, value)) ctx.addIssue({ code: 'custom', path: path.split('.'), message });
});
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

/**
 * POST /messages/:id/re-edit: the new content for the recalled message. The new message keeps
 * the recalled one's type, so the same per-type rules apply (checked by the server, which
 * knows the type).
 */
export const ReEditRequestSchema = z.strictObject(contentShape).refine((value) => Object.values(value).some((v) => v !== undefined), {
  error: 'send the edited content (body, attachment, location or payment)',
});
export type ReEditRequest = z.infer<typeof ReEditRequestSchema>;

// ---------------------------------------------------------------------------
// Notices (DESIGN §2): what a recipient sees instead of recalled content, in their locale

export interface NoticeTexts {
  /** The sender's own view. */
  self: string;
  /** Everybody else's view; `{name}` is the sender's display name. */
  other: string;
  /** A forced recall by the organisation (compliance/admin), for everybody including the sender. */
  forced: string;
}

export const RECALL_NOTICES: Record<Locale, NoticeTexts> = {
  en: { self: 'You recalled a message', other: '{name} recalled a message', forced: 'A message was removed by your organisation' },
  'zh-CN': { self: '你撤回了一条消息', other: '{name} 撤回了一条消息', forced: '一条消息已被管理员撤回' },
  ja: { self: 'メッセージの送信を取り消しました', other: '{name}がメッセージの送信を取り消しました', forced: '管理者がメッセージを削除しました' },
};

export type RecallKind = 'SENDER' | 'FORCED';

/** The localized notice one viewer sees for a recalled message. */
export function recallNotice(locale: Locale, options: { senderName: string; viewerIsSender: boolean; kind: RecallKind }): string {
  const texts = RECALL_NOTICES[locale] ?? RECALL_NOTICES.en;
  if (options.kind === 'FORCED') return texts.forced;
  return options.viewerIsSender ? texts.self : texts.other.replace('{name}', options.senderName);
}

/** The notice in every locale (webhook payloads, where the reader's locale is not known). */
export function recallNotices(options: { senderName: string; kind: RecallKind }): Record<Locale, string> {
  return Object.fromEntries(
    (Object.keys(RECALL_NOTICES) as Locale[]).map((locale) => [locale, recallNotice(locale, { ...options, viewerIsSender: false })]),
  ) as Record<Locale, string>;
}

// ---------------------------------------------------------------------------
// Views

export const RecallReachSchema = z.object({
  /** Members other than the sender when the message was recalled. */
  recipients: z.number().int().min(0),
  /** Recipients whose device acknowledged the recall (RECALL_APPLIED receipt). */
  applied: z.number().int().min(0),
});
export type RecallReach = z.infer<typeof RecallReachSchema>;

export const MessageViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  senderId: z.uuid(),
  senderName: displayNameText(),
  type: MessageTypeSchema,
  /** Server time the message was accepted (UTC, ms). */
  sentAt: dateTimeText(),
  /** UNREADABLE: the stored content did not open under the message's own key (altered or moved in the database); shown without content. */
  state: z.enum(['ACTIVE', 'RECALLED', 'UNREADABLE']),
  /** Content: null once recalled, or when unreadable. */
  body: z.string().max(MAX_BODY_LENGTH).nullable(),
  attachment: AttachmentSchema.nullable(),
  location: LocationSchema.nullable(),
  payment: PaymentSchema.nullable(),
  /** The message this one re-edits (a recalled message of the same sender). */
  replacesMessageId: z.uuid().nullable(),
  recalledAt: dateTimeText().nullable(),
  recallKind: z.enum(['SENDER', 'FORCED']).nullable(),
  /** Localized for the viewer; present exactly when the message was recalled. */
  notice: serverText().nullable(),
  /** Sender only: until when the recalled message may still be re-edited (null when not, or no longer, possible). */
  reEditUntil: dateTimeText().nullable(),
  /** Sender only, once recalled: how many recipients applied the recall. */
  recallReach: RecallReachSchema.nullable(),
});
export type MessageView = z.infer<typeof MessageViewSchema>;

export const MessageListQuerySchema = z.strictObject({
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MessageListQuery = z.infer<typeof MessageListQuerySchema>;

export const MessageListSchema = z.object({
  /** Newest first; messages the caller deleted for themself are left out. */
  items: pageOf(MessageViewSchema),
  nextCursor: cursorText().nullable(),
});
export type MessageList = z.infer<typeof MessageListSchema>;

// ---------------------------------------------------------------------------
// Recall

/** Kept exactly as sent; a blank reason counts as none. */
const reasonField = storableString()
  .max(500, { error: 'must be at most 500 characters' })
  .transform((reason) => (isBlank(reason) ? undefined : reason));

export const RecallRequestSchema = z.strictObject({
  /** Required by some policies, always required when forced. Visible to compliance. */
  reason: reasonField.optional(),
  /** A forced recall (COMPLIANCE or ADMIN): any message of the organisation, window and type policy bypassed, reason required. */
  force: z.boolean({ error: 'must be true or false' }).default(false),
});
export type RecallRequest = z.infer<typeof RecallRequestSchema>;

/** No policy accepts more (maxBatch is at most 100): a longer list is a malformed request (400); within it, the policy's `batchRecall.maxBatch` decides (422 BATCH_TOO_LARGE). */
export const MAX_BATCH_REQUEST = 100;

export const BatchRecallRequestSchema = z.strictObject({
  messageIds: z
    .array(z.uuid({ error: 'must be a message id (UUID)' }), { error: 'must be a list of message ids' })
    .min(1, { error: 'must name at least one message' })
    .max(MAX_BATCH_REQUEST, { error: `must name at most ${MAX_BATCH_REQUEST} messages` }),
  reason: reasonField.optional(),
  force: z.boolean({ error: 'must be true or false' }).default(false),
});
export type BatchRecallRequest = z.infer<typeof BatchRecallRequestSchema>;

/** The recalled content, handed back once to the sender (never stored anywhere but the encrypted audit record). */
export const ReEditDraftSchema = z.object({
  type: MessageTypeSchema,
  body: z.string().max(MAX_BODY_LENGTH).nullable(),
  attachment: AttachmentSchema.nullable(),
  location: LocationSchema.nullable(),
  payment: PaymentSchema.nullable(),
  /** Re-edit (POST /messages/:id/re-edit) until this server time. */
  validUntil: dateTimeText(),
});
export type ReEditDraft = z.infer<typeof ReEditDraftSchema>;

export const DeliveredToSchema = z.object({
  userId: z.uuid(),
  displayName: displayNameText(),
  /** When their device reported the download. */
  at: dateTimeText(),
});
export type DeliveredTo = z.infer<typeof DeliveredToSchema>;

export const RecallResponseSchema = z.object({
  message: MessageViewSchema,
  /** The notice in the caller's locale. */
  notice: serverText(),
  /** Present when the policy offers re-edit for this recall. */
  reEditDraft: ReEditDraftSchema.nullable(),
  auditSeq: z.number().int().min(0),
  /** IMAGE / VIDEO / FILE / VOICE: recipients who had already downloaded the attachment (it cannot be pulled back from their devices). */
  alreadyDeliveredTo: z.array(DeliveredToSchema).max(MAX_CONVERSATION_MEMBERS),
  policyVersion: z.number().int().min(1),
  decidedBy: DecisionRuleSchema,
  forced: z.boolean(),
  reach: RecallReachSchema,
});
export type RecallResponse = z.infer<typeof RecallResponseSchema>;

/** The HTTP status each denial code answers with (single recall; per-message `status` in a batch). */
export const DENIAL_STATUS = {
  NOT_SENDER: 403,
  ALREADY_RECALLED: 409,
  WINDOW_EXPIRED: 422,
  TYPE_NOT_RECALLABLE: 422,
  REASON_REQUIRED: 422,
  RECALL_OFF: 422,
  BATCH_TOO_LARGE: 422,
  BATCH_DISABLED: 422,
  REEDIT_EXPIRED: 422,
  RATE_LIMITED: 429,
} as const satisfies Record<z.infer<typeof DenialCodeSchema>, number>;

export const BatchRecallResultSchema = z.object({
  messageId: z.uuid(),
  outcome: z.enum(['RECALLED', 'DENIED']),
  /** 200 when recalled, else what a single recall would have answered (403, 409, 422, 429). */
  status: z.number().int(),
  code: DenialCodeSchema.nullable(),
  detail: serverText().nullable(),
  decidedBy: DecisionRuleSchema,
  /** The entry that records this attempt (MESSAGE_RECALLED or RECALL_DENIED); null for ALREADY_RECALLED, which is not recorded again. */
  auditSeq: z.number().int().min(0).nullable(),
  retryAfterSeconds: z.number().int().min(1).nullable(),
  notice: serverText().nullable(),
  reEditDraft: ReEditDraftSchema.nullable(),
  alreadyDeliveredTo: z.array(DeliveredToSchema).max(MAX_CONVERSATION_MEMBERS),
});
export type BatchRecallResult = z.infer<typeof BatchRecallResultSchema>;

export const BatchRecallResponseSchema = z.object({
  policyVersion: z.number().int().min(1),
  forced: z.boolean(),
  recalled: z.number().int().min(0),
  denied: z.number().int().min(0),
  /** In request order. */
  results: z.array(BatchRecallResultSchema).max(MAX_BATCH_REQUEST),
});
export type BatchRecallResponse = z.infer<typeof BatchRecallResponseSchema>;

// ---------------------------------------------------------------------------
// Receipts

export const RECEIPT_KINDS = ['DELIVERED', 'DOWNLOADED', 'RECALL_APPLIED'] as const;
export const ReceiptKindSchema = z.enum(RECEIPT_KINDS, { error: `must be one of ${RECEIPT_KINDS.join(', ')}` });
export type ReceiptKind = z.infer<typeof ReceiptKindSchema>;

export const ReceiptRequestSchema = z.strictObject({ kind: ReceiptKindSchema });
export type ReceiptRequest = z.infer<typeof ReceiptRequestSchema>;

export const ReceiptViewSchema = z.object({
  messageId: z.uuid(),
  userId: z.uuid(),
  kind: ReceiptKindSchema,
  /** Server time of the first report (receipts are idempotent). */
  at: dateTimeText(),
});
export type ReceiptView = z.infer<typeof ReceiptViewSchema>;
