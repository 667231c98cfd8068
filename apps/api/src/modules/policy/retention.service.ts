import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PolicyDocumentSchema, type RetentionChangeRequest, type RetentionView } from '@retract/contracts';
import { Prisma, type Db, type RetentionChange, type TenantScope, type Tx } from '@retract/db';
import { diffPolicies, effectiveRetentionDays, planRetentionChange } from '@retract/recall-policy';
import { CONFIG, type Config } from '../../config/config';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { DB, TenantDb } from '../../common/database/database.module';
import { ProblemException, conflict, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { Clock } from '../clock/clock';
import { loadCurrentPolicy } from './policy-store';
import { PolicyService } from './policy.service';
import { findRetentionChange, insertRetentionChange, loadPendingRetentionChange, markRetentionChange } from './retention-store';

type Actor = TenantScope & { userId: string };

const toPendingView = (change: RetentionChange) => ({
  id: change.id,
  fromDays: change.fromDays,
  toDays: change.toDays,
  proposedBy: change.proposedBy,
  proposedAt: change.proposedAt.toISOString(),
  effectiveAt: change.effectiveAt.toISOString(),
});

/**
 * Audit retention, owned by compliance (docs/architecture.md, "Who can do what"): keeping longer
 * is a new policy version at once; keeping shorter waits AUDIT_RETENTION_SHORTENING_DELAY_DAYS as
 * a pending change any compliance officer can cancel; nothing goes below AUDIT_RETENTION_FLOOR_DAYS.
 * A due shortening is in force from its effectiveAt (the shredding job reads it), and is written
 * as a policy version by the next settling run.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly policy: PolicyService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NODE_ENV === 'test' || this.config.AUDIT_RETENTION_INTERVAL_SECONDS === 0) return;
    this.timer = setInterval(
      () => void this.settleDueEverywhere().catch((error: unknown) => logBackgroundFailure(this.logger, 'error', 'retention settling failed', error)),
      this.config.AUDIT_RETENTION_INTERVAL_SECONDS * 1000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  view(scope: TenantScope): Promise<RetentionView> {
    return this.tenantDb.run(scope, (tx) => this.viewIn(tx, scope.tenantId, this.clock.now()));
  }

  change(actor: Actor, request: RetentionChangeRequest): Promise<RetentionView> {
    const now = this.clock.now();
    const { tenantId } = actor;
    return this.tenantDb.run(actor, async (tx) => {
      await this.audit.lockEvidence(tx, tenantId);
      await this.settleDue(tx, tenantId, now);
      const current = await loadCurrentPolicy(tx, tenantId);
      const inForceDays = current.document.settings.auditRetentionDays;
      const plan = planRetentionChange({
        inForceDays,
        requestedDays: request.days,
        floorDays: this.config.AUDIT_RETENTION_FLOOR_DAYS,
        delayDays: this.config.AUDIT_RETENTION_SHORTENING_DELAY_DAYS,
        now,
      });
      if (plan.kind === 'BELOW_FLOOR') {
        throw new ProblemException({
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: `Audit retention cannot go below ${plan.floorDays} days (AUDIT_RETENTION_FLOOR_DAYS).`,
          errors: [{ field: 'days', message: `must be at least ${plan.floorDays}`, code: 'too_small' }],
        });
      }
      // A new request replaces a shortening still waiting (a lengthening, or a different shortening with its own delay).
      const pending = await loadPendingRetentionChange(tx, tenantId);
      if (pending && !(plan.kind === 'SHORTEN' && plan.toDays === pending.toDays)) await this.cancelIn(tx, actor, pending, now);
      if (plan.kind === 'LENGTHEN') {
        const next = PolicyDocumentSchema.parse({ ...current.document, settings: { ...current.document.settings, auditRetentionDays: plan.toDays } });
        await this.policy.writeVersion(
          tx,
          { tenantId, createdBy: actor.userId, auditActorId: actor.userId },
          current,
          next,
          diffPolicies(current.document, next),
          now,
        );
      }
      if (plan.kind === 'SHORTEN' && !(pending && pending.toDays === plan.toDays)) {
        const change = await insertRetentionChange(tx, {
          tenantId,
          fromDays: inForceDays,
          toDays: plan.toDays,
          proposedBy: actor.userId,
          proposedAt: now,
          effectiveAt: plan.effectiveAt,
        });
        await this.audit.append(tx, tenantId, {
          action: 'RETENTION_SHORTENING_PROPOSED',
          actorId: actor.userId,
          details: { retentionChangeId: change.id, fromDays: inForceDays, toDays: plan.toDays, effectiveAt: plan.effectiveAt.toISOString() },
        });
      }
      return this.viewIn(tx, tenantId, now);
    });
  }

  /** Cancels the named shortening (the one the officer saw, not whatever is pending by the time they click). */
  cancel(actor: Actor, id: string): Promise<RetentionView> {
    const now = this.clock.now();
    const { tenantId } = actor;
    return this.tenantDb.run(actor, async (tx) => {
      await this.audit.lockEvidence(tx, tenantId);
      await this.settleDue(tx, tenantId, now);
      const change = await findRetentionChange(tx, tenantId, id);
      if (!change) throw notFound('retention change');
      if (change.appliedAt || change.cancelledAt) throw conflict(`This retention change was already ${change.appliedAt ? 'applied' : 'cancelled'}.`);
      await this.cancelIn(tx, actor, change, now);
      return this.viewIn(tx, tenantId, now);
    });
  }

  /** Writes every due shortening as a policy version; returns how many were applied. */
  async settleDueEverywhere(now = this.clock.now()): Promise<number> {
    const tenants = await this.db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT app_tenant_ids() AS id`);
    let applied = 0;
    for (const { id } of tenants) if (await this.settleTenant(id, now)) applied++;
    return applied;
  }

  /** Writes one organisation's shortening as a policy version if it is due; true when it did. */
  async settleTenant(tenantId: string, now = this.clock.now()): Promise<boolean> {
    if (!(await this.tenantDb.run({ tenantId }, async (tx) => (await loadPendingRetentionChange(tx, tenantId)) !== null))) return false;
    return this.tenantDb.run({ tenantId }, async (tx) => {
      await this.audit.lockEvidence(tx, tenantId);
      return this.settleDue(tx, tenantId, now);
    });
  }

  private async settleDue(tx: Tx, tenantId: string, now: Date): Promise<boolean> {
    const pending = await loadPendingRetentionChange(tx, tenantId);
    if (!pending || pending.effectiveAt > now) return false;
    const current = await loadCurrentPolicy(tx, tenantId);
    const toDays = Math.max(pending.toDays, this.config.AUDIT_RETENTION_FLOOR_DAYS);
    const next = PolicyDocumentSchema.parse({ ...current.document, settings: { ...current.document.settings, auditRetentionDays: toDays } });
    const diff = diffPolicies(current.document, next);
    if (diff.length > 0) {
      await this.policy.writeVersion(tx, { tenantId, createdBy: pending.proposedBy, auditActorId: null }, current, next, diff, now, {
        retentionChangeId: pending.id,
        proposedBy: pending.proposedBy,
      });
    }
    await markRetentionChange(tx, pending, { appliedAt: now });
    return true;
  }

  private async cancelIn(tx: Tx, actor: Actor, pending: RetentionChange, now: Date): Promise<void> {
    await markRetentionChange(tx, pending, { cancelledBy: actor.userId, cancelledAt: now });
    await this.audit.append(tx, actor.tenantId, {
      action: 'RETENTION_SHORTENING_CANCELLED',
      actorId: actor.userId,
      details: { retentionChangeId: pending.id, fromDays: pending.fromDays, toDays: pending.toDays, proposedBy: pending.proposedBy },
    });
  }

  private async viewIn(tx: Tx, tenantId: string, now: Date): Promise<RetentionView> {
    const current = await loadCurrentPolicy(tx, tenantId);
    const pending = await loadPendingRetentionChange(tx, tenantId);
    const floorDays = this.config.AUDIT_RETENTION_FLOOR_DAYS;
    return {
      days: effectiveRetentionDays(current.document.settings.auditRetentionDays, pending, floorDays, now),
      floorDays,
      shorteningDelayDays: this.config.AUDIT_RETENTION_SHORTENING_DELAY_DAYS,
      pending: pending ? toPendingView(pending) : null,
    };
  }
}
