import 'server-only';
import {
  CheckpointViewSchema,
  ConversationListSchema,
  LegalHoldListSchema,
  PolicyVersionViewSchema,
  PublicKeysSchema,
  RecallInsightsSchema,
  RoleGrantListSchema,
  WebhookDeliveryListSchema,
  WebhookListSchema,
} from '@retract/contracts';
import { verifyCheckpoint } from '@retract/audit-log/browser';
import { apiFetch, type ApiResult } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';

/** What a failed read leaves on the home page: the tile says "not available" instead of a number. */
const ok = <T>(result: ApiResult<T>): T | null => (result.ok ? result.data : null);

/** Administrators: the recall window in force and its last change, grants waiting, webhooks whose newest delivery failed. */
export async function loadAdminGlance() {
  const [policy, grants, webhooks] = await Promise.all([
    apiFetch('/api/v1/policy', PolicyVersionViewSchema),
    apiFetch('/api/v1/role-grants', RoleGrantListSchema),
    apiFetch('/api/v1/webhooks', WebhookListSchema),
  ]);
  const hooks = ok(webhooks)?.items ?? null;
  const newest = hooks
    ? await Promise.all(hooks.map((hook) => apiFetch(withQuery(`/api/v1/webhooks/${hook.id}/deliveries`, { limit: 1 }), WebhookDeliveryListSchema)))
    : [];
  // Failing: the newest delivery gave up, or is being retried after a failed attempt.
  const failing = newest.filter((r) => {
    const last = ok(r)?.items[0];
    return last !== undefined && (last.status === 'FAILED' || (last.status === 'PENDING' && last.attempts > 0));
  }).length;
  return {
    policy: ok(policy),
    pendingGrants: ok(grants)?.items.length ?? null,
    webhooks: hooks ? { total: hooks.length, failing } : null,
  };
}

/** Start of the current UTC day (the console shows UTC). */
export const startOfUtcDay = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();

/** Compliance officers: recalls and refusals since midnight UTC, the newest checkpoint and whether its signature verifies, active holds. */
export async function loadComplianceGlance(now = new Date()) {
  const [today, checkpoint, keys, holds] = await Promise.all([
    apiFetch(withQuery('/api/v1/insights/recalls', { from: startOfUtcDay(now), to: now.toISOString(), bucket: 'hour', top: 1 }), RecallInsightsSchema),
    apiFetch('/api/v1/audit/checkpoints/latest', CheckpointViewSchema.nullable()),
    apiFetch('/api/v1/audit/public-keys', PublicKeysSchema),
    apiFetch(withQuery('/api/v1/legal-holds', { active: 'true' }), LegalHoldListSchema),
  ]);
  const latest = ok(checkpoint);
  const published = ok(keys);
  let verified: boolean | null = null;
  if (latest && published) {
    const result = verifyCheckpoint(
      latest.note,
      published.keys.map((k) => k.vkey),
      { origin: published.origin },
    );
    verified = result.ok && result.checkpoint.size === latest.treeSize;
  }
  return {
    today: ok(today)?.totals ?? null,
    checkpoint: checkpoint.ok ? { latest, verified } : null,
    activeHolds: ok(holds)?.items.length ?? null,
  };
}

/** Employees: their conversations, most recently active first. */
export async function loadEmployeeGlance() {
  const conversations = ok(await apiFetch('/api/v1/conversations?limit=100', ConversationListSchema));
  if (!conversations) return { conversations: null };
  const order = (at: string | null) => (at ? Date.parse(at) : 0);
  return { conversations: [...conversations.items].sort((a, b) => order(b.lastMessageAt) - order(a.lastMessageAt)) };
}
