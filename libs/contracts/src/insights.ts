import { z } from 'zod';
import { DenialCodeSchema } from './policy';

/*
 * GET /api/v1/insights/recalls?from=&to=&bucket= (ADMIN, COMPLIANCE): recalls over time,
 * denials by code, top recallers — counted from the audit trail, metadata only.
 */

export const INSIGHT_BUCKETS = ['hour', 'day', 'week'] as const;
/** At most this many buckets per request (e.g. 31 days by hour, 3 years by week). */
export const MAX_INSIGHT_BUCKETS = 1000;

export const RecallInsightsQuerySchema = z
  .strictObject({
    /** ISO 8601 with offset; default: `to` minus 30 days. */
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    /** ISO 8601 with offset; default: now. */
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    bucket: z.enum(INSIGHT_BUCKETS, { error: `must be one of ${INSIGHT_BUCKETS.join(', ')}` }).default('day'),
    top: z.coerce.number().int().min(1).max(50).default(10),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['from'], error: 'must be before to' });
export type RecallInsightsQuery = z.infer<typeof RecallInsightsQuerySchema>;

const count = z.number().int().min(0);

export const RecallInsightsSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(INSIGHT_BUCKETS),
  totals: z.object({ recalled: count, forced: count, denied: count }),
  /** One entry per bucket (UTC boundaries), oldest first, including empty buckets. */
  series: z.array(z.object({ start: z.string(), recalled: count, forced: count, denied: count })),
  /** Only codes that occurred. */
  deniedByCode: z.partialRecord(DenialCodeSchema, count),
  /** By recalls (then denials), most first. */
  topRecallers: z.array(z.object({ userId: z.uuid(), displayName: z.string(), recalled: count, denied: count })),
});
export type RecallInsights = z.infer<typeof RecallInsightsSchema>;
