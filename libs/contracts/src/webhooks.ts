import { z } from 'zod';
import { freeText, httpUrl, MAX_URL_LENGTH } from './text';
import { EVENT_TYPES, EventTypeSchema } from './events';
import { cursorText, dateTimeText, MAX_CURSOR_LENGTH, pageOf } from './bounds';

/*
 * Webhooks (DESIGN §6, ADMIN): GET|POST /api/v1/webhooks, DELETE /api/v1/webhooks/:id,
 * GET /api/v1/webhooks/:id/deliveries.
 *
 * Each delivery is a POST of the event envelope as JSON with these headers:
 *   Retract-Webhook-Id, Retract-Delivery-Id, Retract-Event-Id, Retract-Event-Type,
 *   Retract-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * Receivers recompute the HMAC over the exact bytes received, compare in constant time, and
 * reject a timestamp more than WEBHOOK_TOLERANCE_SECONDS away from their clock (replays).
 */

export const WEBHOOK_SIGNATURE_HEADER = 'retract-signature';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export const WebhookIdParamsSchema = z.strictObject({ id: z.uuid({ error: 'must be a webhook id (UUID)' }) });

const MAX_WEBHOOK_DESCRIPTION_LENGTH = 200;
/** Webhooks one organisation may register: a further one is refused (409) until one is deleted. */
export const MAX_WEBHOOKS = 100;

export const CreateWebhookRequestSchema = z.strictObject({
  url: httpUrl,
  eventTypes: z
    .array(EventTypeSchema)
    .min(1, { error: 'must name at least one event type' })
    .max(EVENT_TYPES.length, { error: `must name at most ${EVENT_TYPES.length} event types` })
    .refine((types) => new Set(types).size === types.length, { error: 'must not list an event type twice' }),
  description: freeText(MAX_WEBHOOK_DESCRIPTION_LENGTH).optional(),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const WebhookViewSchema = z.object({
  id: z.uuid(),
  url: z.string().max(MAX_URL_LENGTH),
  eventTypes: z.array(EventTypeSchema).max(EVENT_TYPES.length),
  description: z.string().max(MAX_WEBHOOK_DESCRIPTION_LENGTH).nullable(),
  createdAt: dateTimeText(),
  createdBy: z.uuid(),
});
export type WebhookView = z.infer<typeof WebhookViewSchema>;

/** Returned once, on creation: the signing secret is never shown again. */
/** `whsec_` and 32 random bytes in base64url. */
export const CreatedWebhookSchema = WebhookViewSchema.extend({ secret: z.string().max(64) });
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookListSchema = z.object({ items: z.array(WebhookViewSchema).max(MAX_WEBHOOKS) });
export type WebhookList = z.infer<typeof WebhookListSchema>;

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;

export const WebhookDeliveryViewSchema = z.object({
  id: z.uuid(),
  eventId: z.string().max(20),
  eventType: EventTypeSchema,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  lastStatusCode: z.number().int().nullable(),
  /** The dispatcher keeps the first 500 characters of a failure. */
  lastError: z.string().max(500).nullable(),
  lastAttemptAt: dateTimeText().nullable(),
  nextAttemptAt: dateTimeText().nullable(),
  deliveredAt: dateTimeText().nullable(),
  createdAt: dateTimeText(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryViewSchema>;

export const WebhookDeliveryListQuerySchema = z.strictObject({
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuerySchema>;

export const WebhookDeliveryListSchema = z.object({
  items: pageOf(WebhookDeliveryViewSchema),
  nextCursor: cursorText().nullable(),
});
