import { z } from 'zod';
import { freeText, httpUrl } from './text';
import { EventTypeSchema } from './events';

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

export const CreateWebhookRequestSchema = z.strictObject({
  url: httpUrl,
  eventTypes: z
    .array(EventTypeSchema)
    .min(1, { error: 'must name at least one event type' })
    .refine((types) => new Set(types).size === types.length, { error: 'must not list an event type twice' }),
  description: freeText(200).optional(),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const WebhookViewSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(EventTypeSchema),
  description: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.uuid(),
});
export type WebhookView = z.infer<typeof WebhookViewSchema>;

/** Returned once, on creation: the signing secret is never shown again. */
export const CreatedWebhookSchema = WebhookViewSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookListSchema = z.object({ items: z.array(WebhookViewSchema) });
export type WebhookList = z.infer<typeof WebhookListSchema>;

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;

export const WebhookDeliveryViewSchema = z.object({
  id: z.uuid(),
  eventId: z.string(),
  eventType: EventTypeSchema,
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryViewSchema>;

export const WebhookDeliveryListQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuerySchema>;

export const WebhookDeliveryListSchema = z.object({
  items: z.array(WebhookDeliveryViewSchema),
  nextCursor: z.string().nullable(),
});
