import { z } from 'zod';
import { MessageTypeSchema } from './policy';
import { LocaleSchema } from './roles';
import { dateTimeText, displayNameText, serverText } from './bounds';

/*
 * The durable per-tenant event log behind GET /api/v1/events (Server-Sent Events) and
 * webhooks. Events carry ids and notices, never message content: a client that wants the
 * content fetches it while it still exists (DESIGN §2 "What a recall removes").
 *
 * SSE framing: `id: <event id>`, `event: <type>`, `data: <JSON of EventEnvelope>`. Ids are
 * increasing integers per organisation; send the last one back as `Last-Event-ID` (or the
 * `lastEventId` query parameter) to resume after being offline.
 */

export const EVENT_TYPES = ['message.created', 'message.recalled', 'message.reedited', 'message.recall_applied', 'policy.changed'] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` });
export type EventType = z.infer<typeof EventTypeSchema>;

export const MessageCreatedDataSchema = z.object({
  messageId: z.uuid(),
  conversationId: z.uuid(),
  senderId: z.uuid(),
  senderName: displayNameText(),
  type: MessageTypeSchema,
  sentAt: dateTimeText(),
});

export const MessageRecalledDataSchema = z.object({
  messageId: z.uuid(),
  conversationId: z.uuid(),
  senderId: z.uuid(),
  senderName: displayNameText(),
  recalledAt: dateTimeText(),
  recallKind: z.enum(['SENDER', 'FORCED']),
  /** SSE: the notice in the receiving user's locale ("You recalled a message" for the sender). */
  notice: serverText().optional(),
  /** Webhooks: the notice in every locale (the integrator knows its reader's locale). */
  notices: z.partialRecord(LocaleSchema, serverText()).optional(),
  /** A recall a chat system recorded (integration mode): the system and its own ids of the message and conversation. */
  source: z.string().max(32).optional(),
  externalMessageId: z.string().max(255).optional(),
  externalConversationId: z.string().max(255).optional(),
});

export const MessageReEditedDataSchema = MessageCreatedDataSchema.extend({
  /** The recalled message this one replaces. */
  replacesMessageId: z.uuid(),
});

/**
 * A recipient's device applied a recall (its first RECALL_APPLIED receipt): the sender reads the
 * message again for its recall reach. Ids only: who applied it is the sender's to read.
 */
export const MessageRecallAppliedDataSchema = z.object({
  messageId: z.uuid(),
  conversationId: z.uuid(),
  senderId: z.uuid(),
  senderName: displayNameText(),
});

export const PolicyChangedDataSchema = z.object({
  version: z.number().int().min(1),
  changedBy: z.uuid().nullable(),
});

/** Event ids are a bigint's decimal digits (at most 19, and a sign PostgreSQL never gives them). */
const eventIdText = () => z.string().max(20);

export const EventEnvelopeSchema = z.discriminatedUnion('type', [
  z.object({ id: eventIdText(), type: z.literal('message.created'), occurredAt: dateTimeText(), data: MessageCreatedDataSchema }),
  z.object({ id: eventIdText(), type: z.literal('message.recalled'), occurredAt: dateTimeText(), data: MessageRecalledDataSchema }),
  z.object({ id: eventIdText(), type: z.literal('message.reedited'), occurredAt: dateTimeText(), data: MessageReEditedDataSchema }),
  z.object({ id: eventIdText(), type: z.literal('message.recall_applied'), occurredAt: dateTimeText(), data: MessageRecallAppliedDataSchema }),
  z.object({ id: eventIdText(), type: z.literal('policy.changed'), occurredAt: dateTimeText(), data: PolicyChangedDataSchema }),
]);
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export const EventIdSchema = z
  .string()
  .max(18, { error: 'must be an event id (digits)' })
  .regex(/^\d{1,18}$/, { error: 'must be an event id (digits)' });

/**
 * GET /api/v1/events. With `Accept: text/event-stream` (what EventSource sends) the answer is a
 * live stream; otherwise one JSON page of the events after `lastEventId`, for clients that sync
 * by polling.
 */
export const MAX_EVENT_PAGE = 500;

export const EventStreamQuerySchema = z.strictObject({
  /** Same as the Last-Event-ID header (for clients that cannot set headers); the header wins. */
  lastEventId: EventIdSchema.optional(),
  /** JSON page size (ignored by the stream). */
  limit: z.coerce.number().int().min(1).max(MAX_EVENT_PAGE).default(100),
});
export type EventStreamQuery = z.infer<typeof EventStreamQuerySchema>;

export const EventPageSchema = z.object({
  items: z.array(EventEnvelopeSchema).max(MAX_EVENT_PAGE),
  /** Resume from here next time (unchanged when there was nothing new). */
  lastEventId: eventIdText(),
  /** More events are waiting: ask again at once. */
  hasMore: z.boolean(),
});
export type EventPage = z.infer<typeof EventPageSchema>;
