import 'server-only';
import { WebhookDeliveryListSchema, WebhookListSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { uuidParam } from '../../../lib/params';
import { firstParam } from '../../../lib/search-params';
import { requireSection } from '../../../lib/sections';

export function parseWebhookParams(params: Record<string, string | string[] | undefined>) {
  const cursor = firstParam(params.deliveries);
  return { webhookId: uuidParam(params, 'webhook'), deliveriesCursor: cursor && /^[A-Za-z0-9_=-]{1,200}$/.test(cursor) ? cursor : undefined };
}

/** Webhooks and, when one is selected in the URL, a page of its delivery log (ADMIN). */
export async function loadWebhooks({ webhookId, deliveriesCursor }: { webhookId?: string; deliveriesCursor?: string }) {
  await requireSection('webhooks');
  const [webhooks, deliveries] = await Promise.all([
    apiFetch('/api/v1/webhooks', WebhookListSchema),
    webhookId
      ? apiFetch(withQuery(`/api/v1/webhooks/${webhookId}/deliveries`, { cursor: deliveriesCursor, limit: 25 }), WebhookDeliveryListSchema)
      : Promise.resolve(null),
  ]);
  return { webhooks, deliveries };
}
