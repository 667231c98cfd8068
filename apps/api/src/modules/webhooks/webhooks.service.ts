import { Inject, Injectable } from '@nestjs/common';
import {
  describeWebhookTargetRefusal,
  MAX_WEBHOOKS,
  type CreateWebhookRequest,
  type CreatedWebhook,
  type EventType,
  type WebhookDeliveryListQuery,
  type WebhookDeliveryView,
  type WebhookView,
} from '@retract/contracts';
import type { Webhook, WebhookDelivery } from '@retract/db';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/endpoint/keyset-cursor';
import { ProblemException, conflict, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { KEK, type KeyEncryptionKey } from '../audit/key-encryption';
import { Clock } from '../clock/clock';
import { WebhookTargets } from './webhook-targets';

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

/** Webhook registrations (ADMIN) and their delivery log. Changes are audited as WEBHOOK_CHANGED (never the secret). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(KEK) private readonly kek: KeyEncryptionKey,
    private readonly targets: WebhookTargets,
  ) {}

  list(principal: AuthenticatedPrincipal) {
    return this.tenantDb.run(principal, async (tx) => {
      const rows = await tx.webhook.findMany({ where: { tenantId: principal.tenantId, deletedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return { items: rows.map(toView) };
    });
  }

  /** Registers a receiver (its host must pass the target policy now, and again at each delivery); the signing secret is returned this once and kept only wrapped by the key-encryption key. */
  async create(principal: AuthenticatedPrincipal, request: CreateWebhookRequest): Promise<CreatedWebhook> {
    const target = await this.targets.check(new URL(request.url));
    if (!target.ok) {
      throw new ProblemException({
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'The webhook URL is not allowed: receivers must be public https endpoints, unless the operator allow-listed them.',
        errors: [{ field: 'url', message: describeWebhookTargetRefusal(target.refusal), code: 'target_not_allowed' }],
      });
    }
    const now = this.clock.now();
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.kek.wrap(principal.tenantId, Buffer.from(secret, 'utf8'), secretAad(principal.tenantId, id));
    return this.tenantDb.run(principal, async (tx) => {
      // One registration at a time per organisation, so concurrent ones cannot pass the count together.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`webhooks:${principal.tenantId}`}, 0))`;
      const registered = await tx.webhook.count({ where: { tenantId: principal.tenantId, deletedAt: null } });
      if (registered >= MAX_WEBHOOKS) throw conflict(`An organisation has at most ${MAX_WEBHOOKS} webhooks: delete one before adding another.`);
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
    const cursor = decodeKeysetCursor(query.cursor);
    return this.tenantDb.run(principal, async (tx) => {
      const hook = await tx.webhook.findFirst({ where: { tenantId: principal.tenantId, id: webhookId }, select: { id: true } });
      if (!hook) throw notFound('webhook');
      const rows = await tx.webhookDelivery.findMany({
        where: {
          tenantId: principal.tenantId,
          webhookId,
          ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toDeliveryView),
        nextCursor: rows.length > query.limit && last ? encodeKeysetCursor(last.createdAt, last.id) : null,
      };
    });
  }
}
