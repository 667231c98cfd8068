import { Injectable } from '@nestjs/common';
import {
  PolicyDocumentSchema,
  policyRuleName,
  type PolicyDiffEntry,
  type PolicyDocument,
  type PolicyVersionView,
  type SimulatePolicyRequest,
  type SimulationResult,
  type UpdatePolicyRequest,
} from '@retract/contracts';
import { afterCommit, type Prisma, type TenantScope, type Tx } from '@retract/db';
import { diffPolicies, mergePolicySettings, simulatePolicy } from '@retract/recall-policy';
import type { JsonValue } from '@retract/audit-log';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, conflict } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { PolicyCache } from './policy-cache';
import { Clock } from '../clock/clock';
import { EventLog } from '../events/event-log';
import { isUniqueViolation } from '../messages/db-errors';
import { listPolicyVersions, loadCurrentPolicy, type StoredPolicyVersion } from './policy-store';
import { toPolicyViews } from './policy-view';
import type { PolicyVersionListQuery } from './policy.schemas';
import { readRecordedAttempts } from './recorded-attempts';

type Actor = TenantScope & { userId: string };

const hasRetention = (value: unknown) => (value as { settings?: { auditRetentionDays?: unknown } } | null)?.settings?.auditRetentionDays !== undefined;
/** A change to how long recalled content is kept, in the settings or in an override added, changed or removed. */
const touchesRetention = (entry: PolicyDiffEntry) => entry.path.endsWith('auditRetentionDays') || hasRetention(entry.from) || hasRetention(entry.to);

const retentionIsCompliances = (entries: PolicyDiffEntry[]) =>
  new ProblemException({
    status: 403,
    code: 'FORBIDDEN',
    detail: 'Audit retention is owned by compliance officers; they change it with PUT /api/v1/policy/retention (shortening waits out a delay).',
    errors: entries.map((entry) => ({
      field: entry.path.endsWith('auditRetentionDays') && !entry.path.startsWith('overrides') ? `settings.${entry.path}` : entry.path,
      message: 'auditRetentionDays is owned by compliance',
      code: 'forbidden',
    })),
  });

const staleVersion = (currentVersion: number) =>
  conflict(`The policy was changed by someone else (now version ${currentVersion}); reload it and apply your change again.`, 'VERSION_CONFLICT', {
    currentVersion,
  });

@Injectable()
export class PolicyService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly cache: PolicyCache,
  ) {}

  current(scope: TenantScope): Promise<PolicyVersionView> {
    return this.tenantDb.run(scope, async (tx) => (await toPolicyViews(tx, scope.tenantId, [await loadCurrentPolicy(tx, scope.tenantId)]))[0]);
  }

  versions(scope: TenantScope, query: PolicyVersionListQuery) {
    return this.tenantDb.run(scope, async (tx) => {
      const rows = await listPolicyVersions(tx, scope.tenantId, query.cursor, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const items = await toPolicyViews(tx, scope.tenantId, page);
      const oldest = page[page.length - 1];
      return { items, nextCursor: rows.length > query.limit && oldest ? String(oldest.version) : null };
    });
  }

  /**
   * A new immutable version when anything changed (an identical document changes nothing and
   * answers the current version). Stale `expectedVersion` → 409 VERSION_CONFLICT; two writers
   * racing for the same next version meet on the primary key, and the loser gets the same 409.
   */
  async update(actor: Actor, request: UpdatePolicyRequest): Promise<PolicyVersionView> {
    const now = this.clock.now();
    try {
      return await this.tenantDb.run(actor, async (tx) => {
        const current = await loadCurrentPolicy(tx, actor.tenantId);
        if (request.expectedVersion !== current.version) throw staleVersion(current.version);
        const next = PolicyDocumentSchema.parse({
          settings: mergePolicySettings(current.document.settings, request.settings),
          overrides: request.overrides ?? current.document.overrides,
        });
        await this.assertOverrideTargetsExist(tx, actor.tenantId, next, request.overrides !== undefined);
        const diff = diffPolicies(current.document, next);
        if (diff.length === 0) return (await toPolicyViews(tx, actor.tenantId, [current]))[0];
        const retention = diff.filter(touchesRetention);
        if (retention.length > 0) throw retentionIsCompliances(retention);
        return this.writeVersion(tx, { tenantId: actor.tenantId, createdBy: actor.userId, auditActorId: actor.userId }, current, next, diff, now);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const current = await this.current(actor);
        throw staleVersion(current.version);
      }
      throw error;
    }
  }

  /**
   * Writes `next` as the version after `current`: the row, POLICY_CHANGED (by `auditActorId`; null
   * when a due retention change is applied by the system), the event and the cache drop.
   */
  async writeVersion(
    tx: Tx,
    author: { tenantId: string; createdBy: string | null; auditActorId: string | null },
    current: StoredPolicyVersion,
    next: PolicyDocument,
    diff: PolicyDiffEntry[],
    now: Date,
    extraDetails: Record<string, JsonValue> = {},
  ): Promise<PolicyVersionView> {
    const { tenantId, createdBy } = author;
    const version = current.version + 1;
    const row = await tx.policyVersion.create({
      data: {
        tenantId,
        version,
        document: next,
        diff: diff as unknown as Prisma.InputJsonValue,
        createdBy,
        createdAt: now,
      },
    });
    await this.audit.append(tx, tenantId, {
      action: 'POLICY_CHANGED',
      actorId: author.auditActorId,
      policyVersion: version,
      // Plain JSON (the diff may hold structured clones, which the canonical encoder refuses).
      details: { fromVersion: current.version, toVersion: version, diff: JSON.parse(JSON.stringify(diff)) as JsonValue, ...extraDetails },
    });
    await this.events.record(tx, tenantId, { type: 'policy.changed', payload: { version, changedBy: createdBy }, at: now });
    afterCommit(tx, () => this.cache.drop(tenantId));
    return (await toPolicyViews(tx, tenantId, [{ version, document: next, diff, createdAt: row.createdAt, createdBy }]))[0];
  }

  /** Replays the recorded recall attempts of the last `days` days under the proposed policy (DESIGN §3). */
  simulate(scope: TenantScope, request: SimulatePolicyRequest): Promise<SimulationResult> {
    const now = this.clock.now();
    return this.tenantDb.run(
      scope,
      async (tx) => {
        const current = await loadCurrentPolicy(tx, scope.tenantId);
        const proposed = PolicyDocumentSchema.parse({ settings: request.settings, overrides: request.overrides ?? current.document.overrides });
        const since = new Date(now.getTime() - request.days * 86_400_000);
        const attempts = await readRecordedAttempts(tx, scope.tenantId, since);
        return simulatePolicy(proposed, attempts, { days: request.days });
      },
      { timeoutMs: 60_000 },
    );
  }

  /** Overrides for a named conversation must name one of this organisation's conversations. */
  private async assertOverrideTargetsExist(tx: Tx, tenantId: string, document: PolicyDocument, sentOverrides: boolean): Promise<void> {
    const wanted = document.overrides
      .map((override, index) => ({ index, target: override.target }))
      .filter((o): o is { index: number; target: { kind: 'CONVERSATION'; conversationId: string } } => o.target.kind === 'CONVERSATION');
    if (wanted.length === 0) return;
    const found = await tx.conversation.findMany({
      where: { tenantId, id: { in: wanted.map((o) => o.target.conversationId.toLowerCase()) } },
      select: { id: true },
    });
    const known = new Set(found.map((c) => c.id));
    const missing = wanted.filter((o) => !known.has(o.target.conversationId.toLowerCase()));
    if (missing.length === 0) return;
    throw new ProblemException({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'An override names a conversation that does not exist in this organisation.',
      errors: missing.map((o) => ({
        field: sentOverrides ? `overrides.${o.index}.target.conversationId` : `(current overrides) ${policyRuleName(o.target)}`,
        message: 'no such conversation',
        code: 'not_found',
      })),
    });
  }
}
