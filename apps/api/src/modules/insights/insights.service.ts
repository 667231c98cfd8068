import { Injectable } from '@nestjs/common';
import { MAX_INSIGHT_BUCKETS, MAX_INSIGHT_SOURCES, type DenialCode, type RecallInsights, type RecallInsightsQuery } from '@retract/contracts';
import type { TenantScope } from '@retract/db';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException } from '../../common/problem/problem';
import { Clock } from '../clock/clock';

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;

/** Start of the UTC bucket holding `at` (weeks start on Monday, as PostgreSQL's date_trunc). */
export function bucketStart(at: Date, bucket: keyof typeof BUCKET_MS): Date {
  const ms = at.getTime();
  if (bucket === 'hour') return new Date(ms - (((ms % BUCKET_MS.hour) + BUCKET_MS.hour) % BUCKET_MS.hour));
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (bucket === 'day') return day;
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * BUCKET_MS.day);
}

/** Recall insights from the audit trail's searchable columns (metadata only, never content). */
@Injectable()
export class InsightsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly clock: Clock,
  ) {}

  recalls(scope: TenantScope, query: RecallInsightsQuery): Promise<RecallInsights> {
    const to = query.to ? new Date(query.to) : this.clock.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * BUCKET_MS.day);
    if (from.getTime() >= to.getTime()) throw invalid('from', 'must be before to');
    const starts: Date[] = [];
    for (let start = bucketStart(from, query.bucket); start.getTime() < to.getTime(); start = new Date(start.getTime() + BUCKET_MS[query.bucket])) {
      starts.push(start);
      if (starts.length > MAX_INSIGHT_BUCKETS)
        throw invalid('bucket', `the range holds more than ${MAX_INSIGHT_BUCKETS} ${query.bucket}s; choose a larger bucket or a shorter range`);
    }
    return this.tenantDb.run(scope, async (tx) => {
      const series = await tx.$queryRaw<{ start: Date; action: string; forced: boolean; n: number }[]>`
        SELECT date_trunc(${query.bucket}, occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, action::text AS action, forced, count(*)::int AS n
          FROM audit_entries
         WHERE tenant_id = ${scope.tenantId}::uuid AND action IN ('MESSAGE_RECALLED', 'RECALL_DENIED')
           AND occurred_at >= ${from} AND occurred_at < ${to}
         GROUP BY 1, 2, 3`;
      const codes = await tx.$queryRaw<{ code: string; n: number }[]>`
        SELECT denial_code AS code, count(*)::int AS n FROM audit_entries
         WHERE tenant_id = ${scope.tenantId}::uuid AND action = 'RECALL_DENIED' AND occurred_at >= ${from} AND occurred_at < ${to}
         GROUP BY 1`;
      const top = await tx.$queryRaw<{ actor_id: string; recalled: number; denied: number }[]>`
        SELECT actor_id,
               count(*) FILTER (WHERE action = 'MESSAGE_RECALLED')::int AS recalled,
               count(*) FILTER (WHERE action = 'RECALL_DENIED')::int AS denied
          FROM audit_entries
         WHERE tenant_id = ${scope.tenantId}::uuid AND action IN ('MESSAGE_RECALLED', 'RECALL_DENIED')
           AND occurred_at >= ${from} AND occurred_at < ${to} AND actor_id IS NOT NULL
         GROUP BY actor_id
         ORDER BY recalled DESC, denied DESC, actor_id
         LIMIT ${query.top}`;
      // A recall of a chat system's message names it in external_messages; every other one is built-in.
      const sources = await tx.$queryRaw<{ source: string | null; recalled: number; forced: number; denied: number }[]>`
        SELECT x.source,
               count(*) FILTER (WHERE a.action = 'MESSAGE_RECALLED')::int AS recalled,
               count(*) FILTER (WHERE a.action = 'MESSAGE_RECALLED' AND a.forced)::int AS forced,
               count(*) FILTER (WHERE a.action = 'RECALL_DENIED')::int AS denied
          FROM audit_entries a
          LEFT JOIN external_messages x ON x.tenant_id = a.tenant_id AND x.id = a.message_id
         WHERE a.tenant_id = ${scope.tenantId}::uuid AND a.action IN ('MESSAGE_RECALLED', 'RECALL_DENIED')
           AND a.occurred_at >= ${from} AND a.occurred_at < ${to}
         GROUP BY x.source
         ORDER BY recalled DESC, denied DESC, x.source NULLS FIRST
         LIMIT ${MAX_INSIGHT_SOURCES + 1}`;
      const users = top.length
        ? await tx.user.findMany({ where: { tenantId: scope.tenantId, id: { in: top.map((t) => t.actor_id) } }, select: { id: true, displayName: true } })
        : [];
      const names = new Map(users.map((u) => [u.id, u.displayName]));

      const byStart = new Map(starts.map((start) => [start.getTime(), { start: start.toISOString(), recalled: 0, forced: 0, denied: 0 }]));
      const totals = { recalled: 0, forced: 0, denied: 0 };
      for (const row of series) {
        const slot = byStart.get(new Date(row.start).getTime());
        const add = (field: 'recalled' | 'forced' | 'denied') => {
          totals[field] += row.n;
          if (slot) slot[field] += row.n;
        };
        if (row.action === 'RECALL_DENIED') add('denied');
        else {
          add('recalled');
          if (row.forced) add('forced');
        }
      }
      const deniedByCode: Partial<Record<DenialCode, number>> = {};
      for (const { code, n } of codes) if (code) deniedByCode[code as DenialCode] = n;
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        bucket: query.bucket,
        totals,
        series: [...byStart.values()],
        deniedByCode,
        bySource: sources,
        topRecallers: top.map((t) => ({ userId: t.actor_id, displayName: names.get(t.actor_id) ?? '', recalled: t.recalled, denied: t.denied })),
      };
    });
  }
}

const invalid = (field: string, message: string) =>
  new ProblemException({
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: 'Some fields are not valid.',
    errors: [{ field: `query.${field}`, message, code: 'invalid_value' }],
  });
