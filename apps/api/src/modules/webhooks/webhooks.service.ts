import { Inject, Injectable } from '@nestjs/common';
import type { CreateWebhookRequest, CreatedWebhook, EventType, WebhookDeliveryListQuery, WebhookDeliveryView, WebhookView } from '@retract/contracts';
import type { Webhook, WebhookDelivery } from '@retract/db';
import { isIP } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { KEK, type KeyEncryptionKey } from '../audit/key-encryption';
import { Clock } from '../clock/clock';

export const secretAad = (tenantId: string, webhookId: string) => `retract:webhook-secret:${tenantId}:${webhookId}`;

const toView = (w: Webhook): WebhookView => ({
  id: w.id,
  url: w.url,
  eventTypes: w.eventTypes as EventType[],
  description: w.description,
  createdAt: w.createdAt.toISOString(),
  createdBy: w.createdBy,
});

const toDeliveryView = (d: WebhookDelivery): WebhookDeliveryView => ({
  id: d.id,
  eventId: d.eventId.toString(),
  eventType: d.eventType as EventType,
  status: d.status as WebhookDeliveryView['status'],
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

/**
 * Link-local addresses (cloud metadata services live at 169.254.169.254) are never a customer's
 * receiver: refusing them keeps a webhook from turning the API into a probe of its own network.
 */
function unsafeTarget(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'metadata.google.internal' || host === 'metadata') return 'cloud metadata hosts are not allowed';
  if (isIP(host) === 4 && host.startsWith('169.254.')) return 'link-local addresses are not allowed';
  if (isIP(host) === 6 && /^fe[89ab]/.test(host)) return 'link-local addresses are not allowed';
  if (url.username || url.password) return 'credentials in the URL are not allowed (the signature authenticates deliveries)';
  return undefined;
}

const decodeCursor = (cursor?: string) => {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new ProblemException({ status: 400, code: 'VALIDATION_FAILED', detail: 'The cursor is not valid.', errors: [{ field: 'query.cursor', message: 'is not a cursor this API returned', code: 'invalid_cursor' }] });
  }
  return { createdAt, id };
};

/** Webhook registrations (ADMIN) and their delivery log. Changes are audited as WEBHOOK_CHANGED (never the secret). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(KEK) private readonly kek: KeyEncryptionKey,
  ) {}

  list(principal: AuthenticatedPrincipal) {
    return this.tenantDb.run(principal, async (tx) => {
      const rows = await tx.webhook.findMany({ where: { tenantId: principal.tenantId, deletedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return { items: rows.map(toView) };
    });
  }

  /** Registers a receiver; the signing secret is returned this once and kept only wrapped by the key-encryption key. */
  async create(principal: AuthenticatedPrincipal, request: CreateWebhookRequest): Promise<CreatedWebhook> {
    const problem = unsafeTarget(new URL(request.url));
    if (problem) {
      throw new ProblemException({ status: 400, code: 'VALIDATION_FAILED', detail: 'The webhook URL is not allowed.', errors: [{ field: 'url', message: problem, code: 'invalid_url' }] });
    }
    const now = this.clock.now();
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.kek.wrap(Buffer.from(secret, 'utf8'), secretAad(principal.tenantId, id));
    return this.tenantDb.run(principal, async (tx) => {
      const row = await tx.webhook.create({
        data: {
          tenantId: principal.tenantId,
          id,
          url: request.url,
          eventTypes: request.eventTypes,
          description: request.description ?? null,
          secretSealed: Buffer.from(sealed),
          kekId: this.kek.id,
          createdBy: principal.userId,
          createdAt: now,
        },
      });
      await this.audit.append(tx, principal.tenantId, {
        action: 'WEBHOOK_CHANGED',
        actorId: principal.userId,
        details: { change: 'CREATED', webhookId: id, url: request.url, eventTypes: request.eventTypes },
      });
      return { ...toView(row), secret };
    });
  }

  /** Stops deliveries to a receiver; its delivery log stays readable. */
  async remove(principal: AuthenticatedPrincipal, id: string): Promise<void> {
    const now = this.clock.now();
    await this.tenantDb.run(principal, async (tx) => {
      const row = await tx.webhook.findFirst({ where: { tenantId: principal.tenantId, id, deletedAt: null } });
      if (!row) throw notFound('webhook');
      await tx.webhook.update({ where: { tenantId_id: { tenantId: principal.tenantId, id } }, data: { deletedAt: now, deletedBy: principal.userId } });
      await this.audit.append(tx, principal.tenantId, {
        action: 'WEBHOOK_CHANGED',
        actorId: principal.userId,
        details: { change: 'DELETED', webhookId: id, url: row.url, eventTypes: row.eventTypes },
      });
    });
  }

  deliveries(principal: AuthenticatedPrincipal, webhookId: string, query: WebhookDeliveryListQuery) {
    const cursor = decodeCursor(query.cursor);
    return this.tenantDb.run(principal, async (tx) => {
      const hook = await tx.webhook.findFirst({ where: { tenantId: principal.tenantId, id: webhookId }, select: { id: true } });
      if (!hook) throw notFound('webhook');
      const rows = await tx.webhookDelivery.findMany({
        where: {
          tenantId: principal.tenantId,
          webhookId,
          ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toDeliveryView),
        nextCursor: rows.length > query.limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`, 'utf8').toString('base64url') : null,
      };
    });
  }
}
