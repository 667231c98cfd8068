import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Prisma, type Db, type Tx } from '@retract/db';
import { CONFIG, type Config } from '../../config/config';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { DB, TenantDb } from '../../common/database/database.module';
import { holdsCoveringSubject } from '../legal-holds/legal-holds.service';
import { loadPendingRetentionChange } from '../policy/retention-store';
import { effectiveRetentionDays } from '@retract/recall-policy';
import type { LeafTemplate } from '@retract/audit-log';
import { AuditLog } from './audit-log';
import { AuditSequencer } from './audit-sequencer';
import { AuditTicket } from './audit-ticket';
import { Checkpoints } from './checkpoints';
import { ContentVault } from './content-vault';

const DEFAULT_RETENTION_DAYS = 2555;

/** First instant after a key period (YYYY-MM): content under that key is at most this old... plus retention. */
const periodEnd = (period: string) => {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month, 1));
};

/**
 * Background work on the audit log: a checkpoint at least every AUDIT_CHECKPOINT_SECONDS for
 * every tenant whose log grew, and retention (crypto-shredding content keys whose whole month is
 * older than the tenant's retention in force (never below AUDIT_RETENTION_FLOOR_DAYS), unless a legal hold covers them). Replicas may run
 * it at the same time: both jobs take the tenant's log head lock.
 */
@Injectable()
export class AuditJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditJobs');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly sequencer: AuditSequencer,
    private readonly checkpoints: Checkpoints,
    private readonly vault: ContentVault,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NODE_ENV === 'test') return;
    const failed = (what: string) => (error: unknown) => logBackgroundFailure(this.logger, 'error', what, error);
    void this.integrateStalePending().catch(failed('pending sweep failed'));
    this.timers.push(setInterval(() => void this.checkpointDueTenants().catch(failed('checkpoint job failed')), this.config.AUDIT_CHECKPOINT_SECONDS * 1000));
    this.timers.push(
      setInterval(() => void this.integrateStalePending().catch(failed('pending sweep failed')), this.config.AUDIT_PENDING_SWEEP_SECONDS * 1000),
    );
    if (this.config.AUDIT_RETENTION_INTERVAL_SECONDS > 0) {
      this.timers.push(
        setInterval(() => void this.applyRetentionToAll().catch(failed('retention job failed')), this.config.AUDIT_RETENTION_INTERVAL_SECONDS * 1000),
      );
    }
    for (const timer of this.timers) timer.unref();
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  async checkpointDueTenants(): Promise<number> {
    const due = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT audit_tenants_due_checkpoint() AS id`);
    for (const { id } of due) {
      const checkpoint = await this.tenantDb.run({ tenantId: id }, (tx) => this.checkpoints.issue(tx, id));
      await this.checkpoints.witness(id, checkpoint);
    }
    return due.length;
  }

  /**
   * Entries queued by a writer that stopped (crash, lost connection) before its sequencer
   * integrated them: any replica integrates those older than AUDIT_PENDING_SWEEP_SECONDS.
   * Returns how many entries were integrated.
   */
  async integrateStalePending(olderThanSeconds = this.config.AUDIT_PENDING_SWEEP_SECONDS): Promise<number> {
    const age = `${olderThanSeconds} seconds`;
    const tenants = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT audit_tenants_with_stale_pending(${age}::interval) AS id`);
    let integrated = 0;
    for (const { id } of tenants) {
      const rows = await this.tenantDb.sql(
        { tenantId: id },
        (tx) =>
          tx.$queryRaw<{ id: bigint; leaf_parts: string[] }[]>`
          SELECT id, leaf_parts FROM audit_pending WHERE tenant_id = ${id}::uuid AND created_at < now() - ${age}::interval ORDER BY id LIMIT 10000`,
      );
      const results = await Promise.allSettled(
        rows.map((row) => this.sequencer.integrate(new AuditTicket(id, BigInt(row.id), row.leaf_parts as unknown as LeafTemplate))),
      );
      integrated += results.filter((result) => result.status === 'fulfilled').length;
    }
    if (integrated > 0) this.logger.warn({ integrated }, 'integrated audit entries left pending by a stopped writer');
    return integrated;
  }

  async applyRetentionToAll(now = new Date()): Promise<number> {
    const tenants = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT app_tenant_ids() AS id`);
    let shredded = 0;
    for (const { id } of tenants) shredded += await this.applyRetention(id, now);
    return shredded;
  }

  /** Shreds expired content keys of one tenant; returns how many keys were destroyed. */
  async applyRetention(tenantId: string, now = new Date()): Promise<number> {
    return this.tenantDb.run({ tenantId }, async (tx) => {
      const days = await retentionDays(tx, tenantId, this.config.AUDIT_RETENTION_FLOOR_DAYS, now);
      const cutoff = new Date(now.getTime() - days * 86_400_000);
      const live = await tx.auditDataKey.findMany({ where: { tenantId, wrappedKey: { not: null } }, select: { id: true, subjectUserId: true, period: true } });
      const expired = live.filter((key) => periodEnd(key.period) <= cutoff);
      if (expired.length === 0) return 0;
      await this.log.lockEvidence(tx, tenantId);
      const releasable: typeof expired = [];
      for (const key of expired) if ((await holdsCoveringSubject(tx, tenantId, key.subjectUserId, key.id)).length === 0) releasable.push(key);
      if (releasable.length === 0) return 0;
      const destroyed = await this.vault.shred(tx, tenantId, { keyIds: releasable.map((key) => key.id) }, 'RETENTION');
      await this.log.append(tx, tenantId, {
        action: 'RETENTION_SHREDDED',
        actorId: null,
        details: {
          retentionDays: days,
          cutoff: cutoff.toISOString(),
          dataKeyIds: destroyed,
          periods: [...new Set(releasable.map((key) => key.period))].sort(),
        },
      });
      return destroyed.length;
    });
  }
}

/** The policy's retention, or a shortening whose delay is over, never below the floor (docs/architecture.md, "Who can do what"). */
async function retentionDays(tx: Tx, tenantId: string, floorDays: number, now: Date): Promise<number> {
  const current = await tx.policyVersion.findFirst({ where: { tenantId }, orderBy: { version: 'desc' }, select: { document: true } });
  const days = (current?.document as { settings?: { auditRetentionDays?: unknown } } | undefined)?.settings?.auditRetentionDays;
  const policyDays = typeof days === 'number' && days >= 1 ? days : DEFAULT_RETENTION_DAYS;
  return effectiveRetentionDays(policyDays, await loadPendingRetentionChange(tx, tenantId), floorDays, now);
}
