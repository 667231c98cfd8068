import { Injectable } from '@nestjs/common';
import {
  DENIAL_STATUS,
  type BatchRecallRequest,
  type BatchRecallResponse,
  type BatchRecallResult,
  type RecallRequest,
  type RecallResponse,
} from '@retract/contracts';
import { problemDetailText, type PolicyDocument } from '@retract/contracts';
import { decideBatch, decideRecall, type RecallDenied, type RecentRecalls } from '@retract/recall-policy';
import type { SqlTx } from '@retract/db';
import { TenantDb } from '../../../common/database/database.module';
import { ProblemException } from '../../../common/problem/problem';
import { Clock } from '../../clock/clock';
import type { AuditTicket } from '../../audit/audit-ticket';
import type { MessageRecord } from '../../messages/message-store';
import { PolicyCache } from '../../policy/policy-cache';
import type { StoredPolicyVersion } from '../../policy/policy-store';
import { recentRecalls } from '../recall-store';
import {
  RecallSteps,
  assertMayAttempt,
  denialProblem,
  sentence,
  toRecallMessage,
  withAuditSeq,
  type AttemptContext,
  type RecallActorContext,
} from '../recall-steps';

interface AttemptReads {
  records: Map<string, MessageRecord>;
  policy: StoredPolicyVersion;
  recent: RecentRecalls;
}

/** Whether any rule of the policy limits recalls per hour (then the per-actor count must be exact). */
const rateLimited = (policy: PolicyDocument) => policy.settings.maxRecallsPerHour > 0 || policy.overrides.some((o) => (o.settings.maxRecallsPerHour ?? 0) > 0);

/**
 * Recall, single and batch (DESIGN §2). One transaction per request: the messages' row locks
 * (so fifty concurrent recalls of one message produce one recall and 49 ALREADY_RECALLED), the
 * policy in force, the actor's recent recalls, the pure decision, then for each message either
 * the recall (audit entry with the encrypted content, content removed, event) or the recorded
 * denial. A denial is committed first and answered with its problem document afterwards.
 */
@Injectable()
export class RecallMessages {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly steps: RecallSteps,
    private readonly clock: Clock,
    private readonly policies: PolicyCache,
  ) {}

  /**
   * What every attempt reads: the messages (locked), the policy in force and the actor's recent
   * recalls. With the policy in this replica's cache the reads go out together, with the
   * transaction's opening, in one round trip (the pipelined connection runs them in this order).
   */
  private async read(tx: SqlTx, actor: RecallActorContext, ids: readonly string[], now: Date): Promise<AttemptReads> {
    const cached = this.policies.peek(actor.tenantId);
    if (cached) {
      const [records, recent] = await Promise.all([this.steps.load(tx, actor.tenantId, ids), recentRecalls(tx, actor, now, rateLimited(cached.document))]);
      return { records, policy: cached, recent };
    }
    const records = await this.steps.load(tx, actor.tenantId, ids);
    const policy = await this.policies.current(tx, actor.tenantId);
    return { records, policy, recent: await recentRecalls(tx, actor, now, rateLimited(policy.document)) };
  }

  async recallOne(actor: RecallActorContext, messageId: string, request: RecallRequest): Promise<RecallResponse> {
    const now = this.clock.now();
    const outcome = await this.tenantDb.sql(actor, async (tx) => {
      const { records, policy, recent } = await this.read(tx, actor, [messageId], now);
      const record = assertMayAttempt(actor, records.get(messageId.toLowerCase()), request.force);
      const ctx: AttemptContext = { actor, now, reason: request.reason, forced: request.force, policy };
      const decision = decideRecall({
        policy: policy.document,
        policyVersion: policy.version,
        message: toRecallMessage(record),
        actor: { userId: actor.userId, forced: request.force },
        now,
        reason: request.reason,
        recentRecalls: recent,
      });
      const attempt = this.steps.attempt(ctx, record, recent, decision);
      if (decision.allowed) return { ok: true as const, applied: await this.steps.apply(tx, ctx, record, decision, attempt) };
      return { ok: false as const, decision, entry: await this.steps.recordDenial(tx, ctx, record, decision, attempt) };
    });
    if (!outcome.ok) throw denialProblem(outcome.decision, outcome.entry?.seq ?? null);
    return withAuditSeq(outcome.applied);
  }

  async recallBatch(actor: RecallActorContext, request: BatchRecallRequest): Promise<BatchRecallResponse> {
    const now = this.clock.now();
    const ids = request.messageIds.map((id) => id.toLowerCase());
    const outcome = await this.tenantDb.sql(actor, async (tx) => {
      const { records, policy, recent } = await this.read(tx, actor, ids, now);
      for (const id of ids) assertMayAttempt(actor, records.get(id), request.force);
      const ctx: AttemptContext = { actor, now, reason: request.reason, forced: request.force, policy, batchSize: ids.length };
      const batch = decideBatch({
        policy: policy.document,
        policyVersion: policy.version,
        messages: ids.map((id) => toRecallMessage(records.get(id)!)),
        actor: { userId: actor.userId, forced: request.force },
        now,
        reason: request.reason,
        recentRecalls: recent,
      });
      if (!batch.accepted && batch.code === 'VALIDATION_FAILED') return { kind: 'invalid' as const, detail: batch.detail, problem: batch.problem };
      if (!batch.accepted) {
        // The whole request is refused by the batch settings: each message's attempt is recorded, none is recalled.
        const entries: AuditTicket[] = [];
        for (const id of [...new Set(ids)]) {
          const record = records.get(id)!;
          const denied: RecallDenied = {
            allowed: false,
            code: batch.code,
            rule: batch.rule,
            detail: batch.detail,
            explanation: { key: batch.code },
            policyVersion: batch.policyVersion,
            forced: request.force,
            effective: batch.effective,
          };
          const entry = await this.steps.recordDenial(tx, ctx, record, denied, this.steps.attempt(ctx, record, recent, denied));
          if (entry) entries.push(entry);
        }
        return { kind: 'refused' as const, batch, entries };
      }
      // decideBatch counted each allowed recall for the messages after it; the recorded attempts say the same.
      let running: RecentRecalls = { count: recent.count, oldestAt: recent.oldestAt };
      // Each result's audit seq is filled in once the transaction has committed.
      const results: { result: BatchRecallResult; entry: AuditTicket | null }[] = [];
      for (const { messageId, decision } of batch.results) {
        const record = records.get(messageId)!;
        const attempt = this.steps.attempt(ctx, record, running, decision);
        if (decision.allowed) {
          const applied = await this.steps.apply(tx, ctx, record, decision, attempt);
          running = { count: running.count + 1, oldestAt: running.oldestAt ?? now };
          results.push({
            entry: applied.entry,
            result: {
              messageId,
              outcome: 'RECALLED',
              status: 200,
              code: null,
              detail: null,
              decidedBy: decision.rule,
              auditSeq: null,
              retryAfterSeconds: null,
              notice: applied.response.notice,
              reEditDraft: applied.response.reEditDraft,
              alreadyDeliveredTo: applied.response.alreadyDeliveredTo,
            },
          });
        } else {
          results.push({
            entry: await this.steps.recordDenial(tx, ctx, record, decision, attempt),
            result: {
              messageId,
              outcome: 'DENIED',
              status: DENIAL_STATUS[decision.code],
              code: decision.code,
              // Read by the person who asked, like a problem's detail: in their language.
              detail: problemDetailText(decision.explanation, actor.locale),
              decidedBy: decision.rule,
              auditSeq: null,
              retryAfterSeconds: decision.retryAfterSeconds ?? null,
              notice: null,
              reEditDraft: null,
              alreadyDeliveredTo: [],
            },
          });
        }
      }
      return { kind: 'done' as const, policyVersion: policy.version, results };
    });
    if (outcome.kind === 'invalid') {
      throw new ProblemException({
        status: 422,
        code: 'VALIDATION_FAILED',
        detail: sentence(outcome.detail),
        errors: [{ field: 'messageIds', message: outcome.detail, code: outcome.problem.toLowerCase() }],
      });
    }
    if (outcome.kind === 'refused') {
      const { batch } = outcome;
      throw new ProblemException({
        status: DENIAL_STATUS[batch.code],
        code: batch.code,
        detail: sentence(batch.detail),
        extensions: {
          decidedBy: batch.rule,
          policyVersion: batch.policyVersion,
          maxBatch: batch.maxBatch,
          auditSeqs: outcome.entries.map((entry) => entry.seq),
        },
      });
    }
    const results = outcome.results.map(({ result, entry }) => ({ ...result, auditSeq: entry?.seq ?? null }));
    const recalled = results.filter((r) => r.outcome === 'RECALLED').length;
    return { policyVersion: outcome.policyVersion, forced: request.force, recalled, denied: results.length - recalled, results };
  }
}
