import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOK_SIGNATURE_HEADER } from '@retract/contracts';
import { Prisma, type Db, type Event } from '@retract/db';
import { ChangeFeed } from '../../common/database/change-feed';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { DB, TenantDb } from '../../common/database/database.module';

/** NOTIFYed with the tenant id when a webhook delivery is enqueued (migration 20261202180000_write_path.sql). */
const WEBHOOKS_CHANNEL = 'retract_webhooks';
import { CONFIG, type Config } from '../../config/config';
import { KEK, type KeyEncryptionKey } from '../audit/key-encryption';
import { Clock } from '../clock/clock';
import { toEnvelope } from '../events/event-view';
import { withSenderNames } from '../events/sender-names';
import { signWebhook } from './webhook-signature';
import { WebhookTargets } from './webhook-targets';
import { postPinned, type DeliveryFailure } from './webhook-transport';
import { secretAad } from './webhooks.service';

/** Delay before attempt n+1 after n failures; after the last one the delivery is FAILED (8 attempts over about 4.5 hours). */
export const RETRY_BACKOFF_SECONDS = [10, 30, 120, 600, 1800, 3600, 10_800] as const;
export const MAX_ATTEMPTS = RETRY_BACKOFF_SECONDS.length + 1;
/** A claimed delivery is hidden from other workers this long, so a crashed worker's claims come back. */
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
const BATCH = 20;
const TICK_MS = 1000;

interface Claimed {
  id: string;
  event_id: bigint;
  attempts: number;
  webhook_id: string;
  url: string;
  secret_sealed: Uint8Array;
  kek_id: string;
  deleted_at: Date | null;
}

/** `error` is what the delivery log shows: a category or `HTTP <status>`, never internal detail. */
type Result =
  | { ok: true; status: number }
  | {
      ok: false;
      status: number | null;
      error: DeliveryFailure | `HTTP ${number}${string}` | 'webhook deleted' | 'event missing' | 'signing secret unavailable';
      final?: boolean;
    };

/**
 * Delivers the webhook outbox (rows written with each event, in the event's transaction).
 * Every replica runs it: due deliveries are claimed with FOR UPDATE SKIP LOCKED and leased for a
 * minute, so one delivery is attempted by one worker at a time. A new event wakes the worker at
 * once (a NOTIFY on `retract_webhooks` when a delivery is enqueued); a one-second tick picks up retries. Failures retry
 * with backoff (10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h), then the delivery is FAILED; every
 * attempt is kept in the delivery log. In NODE_ENV=test the worker only runs when told to.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private timer?: NodeJS.Timeout;
  private started = false;
  private stopped = false;
  private readonly busy = new Map<string, boolean>();
  private ticking = false;

  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly tenantDb: TenantDb,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    @Inject(KEK) private readonly kek: KeyEncryptionKey,
    @Inject(CONFIG) private readonly config: Config,
    private readonly targets: WebhookTargets,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NODE_ENV !== 'test') this.start();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    // Woken only when a delivery was enqueued (not by every event): most events have no webhook.
    this.feed.subscribe(WEBHOOKS_CHANNEL, (tenantId) => void this.deliverDue(tenantId));
    this.timer = setInterval(() => void this.runOnce(), TICK_MS);
    this.timer.unref();
  }

  /** One pass over every tenant with due deliveries; returns how many deliveries were attempted. */
  async runOnce(): Promise<number> {
    if (this.ticking || this.stopped) return 0;
    this.ticking = true;
    try {
      const due = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT webhook_due_tenants(${this.clock.now()}, 50) AS id`);
      let attempted = 0;
      for (const { id } of due) attempted += await this.deliverDue(id);
      return attempted;
    } catch (error) {
      logBackgroundFailure(this.logger, 'warn', 'webhook pass failed', error);
      return 0;
    } finally {
      this.ticking = false;
    }
  }

  /** Attempts the tenant's due deliveries (repeating while more are due); overlapping calls for one tenant coalesce. */
  async deliverDue(tenantId: string): Promise<number> {
    if (this.stopped) return 0;
    if (this.busy.has(tenantId)) {
      this.busy.set(tenantId, true);
      return 0;
    }
    this.busy.set(tenantId, false);
    let attempted = 0;
    try {
      for (;;) {
        this.busy.set(tenantId, false);
        const claimed = await this.claim(tenantId);
        attempted += claimed.length;
        if (claimed.length > 0) {
          const events = await this.eventsFor(
            tenantId,
            claimed.map((c) => c.event_id),
          );
          await Promise.all(claimed.map((delivery) => this.attempt(tenantId, delivery, events.get(delivery.event_id.toString()))));
        }
        if (claimed.length < BATCH && !this.busy.get(tenantId)) break;
      }
    } catch (error) {
      logBackgroundFailure(this.logger, 'warn', 'webhook deliveries for a tenant failed', error, { tenantId });
    } finally {
      this.busy.delete(tenantId);
    }
    return attempted;
  }

  private claim(tenantId: string): Promise<Claimed[]> {
    const now = this.clock.now();
    return this.tenantDb.run({ tenantId }, async (tx) => {
      const rows = await tx.$queryRaw<Claimed[]>`
        SELECT d.id, d.event_id, d.attempts, d.webhook_id, w.url, w.secret_sealed, w.kek_id, w.deleted_at
          FROM webhook_deliveries d
          JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
         WHERE d.tenant_id = ${tenantId}::uuid AND d.status = 'PENDING' AND d.next_attempt_at <= ${now}
         ORDER BY d.next_attempt_at, d.id
         LIMIT ${BATCH}
           FOR UPDATE OF d SKIP LOCKED`;
      if (rows.length) {
        await tx.$executeRaw`
          UPDATE webhook_deliveries SET next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
           WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${rows.map((r) => r.id)}::uuid[])`;
      }
      return rows;
    });
  }

  private eventsFor(tenantId: string, ids: bigint[]) {
    return this.tenantDb.run({ tenantId }, async (tx) => {
      const rows = await withSenderNames(tx, tenantId, await tx.event.findMany({ where: { tenantId, id: { in: [...new Set(ids)] } } }));
      return new Map(rows.map((row) => [row.id.toString(), row]));
    });
  }

  private async attempt(tenantId: string, delivery: Claimed, event: Event | undefined) {
    let result: Result;
    if (delivery.deleted_at) result = { ok: false, status: null, error: 'webhook deleted', final: true };
    else if (!event) result = { ok: false, status: null, error: 'event missing', final: true };
    else if (!this.kek.holds(delivery.kek_id)) {
      this.logger.warn(`webhook ${delivery.webhook_id}: its signing secret is wrapped by key ${delivery.kek_id}, which this server does not hold`);
      result = { ok: false, status: null, error: 'signing secret unavailable' };
    } else result = await this.post(tenantId, delivery, event);
    await this.record(tenantId, delivery, result);
  }

  private async post(tenantId: string, delivery: Claimed, event: Event): Promise<Result> {
    const envelope = toEnvelope({
      id: event.id,
      type: event.type,
      conversationId: event.conversationId,
      messageId: event.messageId,
      payload: event.payload as Record<string, unknown>,
      createdAt: event.createdAt,
    });
    const body = JSON.stringify(envelope);
    const secret = this.kek.unwrap(tenantId, delivery.kek_id, delivery.secret_sealed, secretAad(tenantId, delivery.webhook_id)).toString('utf8');
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const url = new URL(delivery.url);
    // Checked again now, on what the host resolves to now: the connection goes only to these addresses.
    const target = await this.targets.check(url);
    if (!target.ok) {
      this.logger.warn(
        `webhook ${delivery.webhook_id} delivery refused: ${target.refusal.reason}${target.refusal.reason === 'address' ? ` (${target.refusal.kind})` : ''}`,
      );
      return { ok: false, status: null, error: target.refusal.reason === 'unresolvable' ? 'host name did not resolve' : 'target address not allowed' };
    }
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Retract-Webhooks/1',
      'retract-webhook-id': delivery.webhook_id,
      'retract-delivery-id': delivery.id,
      'retract-event-id': envelope.id,
      'retract-event-type': envelope.type,
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
    };
    const outcome = await postPinned(url, target.addresses, headers, body, TIMEOUT_MS);
    if (!outcome.answered) {
      this.logger.warn(`webhook ${delivery.webhook_id} delivery failed: ${outcome.code}`);
      return { ok: false, status: null, error: outcome.failure };
    }
    const { status } = outcome;
    if (status >= 200 && status < 300) return { ok: true, status };
    return { ok: false, status, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` };
  }

  private async record(tenantId: string, delivery: Claimed, result: Result): Promise<void> {
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    await this.tenantDb.run({ tenantId }, async (tx) => {
      if (result.ok) {
        await tx.webhookDelivery.update({
          where: { tenantId_id: { tenantId, id: delivery.id } },
          data: { status: 'DELIVERED', attempts, lastAttemptAt: now, lastStatusCode: result.status, lastError: null, deliveredAt: now, nextAttemptAt: null },
        });
        return;
      }
      const final = result.final === true || attempts >= MAX_ATTEMPTS;
      await tx.webhookDelivery.update({
        where: { tenantId_id: { tenantId, id: delivery.id } },
        data: {
          status: final ? 'FAILED' : 'PENDING',
          attempts,
          lastAttemptAt: now,
          lastStatusCode: result.status,
          lastError: result.error.slice(0, 500),
          nextAttemptAt: final ? null : new Date(now.getTime() + RETRY_BACKOFF_SECONDS[attempts - 1] * 1000),
        },
      });
    });
  }
}
