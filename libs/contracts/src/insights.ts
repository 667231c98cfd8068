import { z } from 'zod';
import { DenialCodeSchema } from './policy';
import { dateTimeText, displayNameText, MAX_DATE_TIME_LENGTH } from './bounds';

/*
 * GET /api/v1/insights/recalls?from=&to=&bucket= (ADMIN, COMPLIANCE): recalls over time,
 * denials by code, top recallers — counted from the audit trail, metadata only.
 */

export const INSIGHT_BUCKETS = ['hour', 'day', 'week'] as const;
/** At most this many buckets per request (e.g. 31 days by hour, 3 years by week). */
export const MAX_INSIGHT_BUCKETS = 1000;
export const MAX_TOP_RECALLERS = 50;
/** At most this many sources in the per-source breakdown (built-in and the chat systems, most active first). */
export const MAX_INSIGHT_SOURCES = 100;

export const RecallInsightsQuerySchema = z
  .strictObject({
    /** ISO 8601 with offset; default: `to` minus 30 days. */
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).max(MAX_DATE_TIME_LENGTH).optional(),
    /** ISO 8601 with offset; default: now. */
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).max(MAX_DATE_TIME_LENGTH).optional(),
    bucket: z.enum(INSIGHT_BUCKETS, { error: `must be one of ${INSIGHT_BUCKETS.join(', ')}` }).default('day'),
    top: z.coerce.number().int().min(1).max(MAX_TOP_RECALLERS).default(10),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['from'], error: 'must be before to' });
export type RecallInsightsQuery = z.infer<typeof RecallInsightsQuerySchema>;

const count = z.number().int().min(0);

export const RecallInsightsSchema = z.object({
  from: dateTimeText(),
  to: dateTimeText(),
  bucket: z.enum(INSIGHT_BUCKETS),
  totals: z.object({ recalled: count, forced: count, denied: count }),
  /** One entry per bucket (UTC boundaries), oldest first, including empty buckets. */
  series: z.array(z.object({ start: dateTimeText(), recalled: count, forced: count, denied: count })).max(MAX_INSIGHT_BUCKETS),
  /** Only codes that occurred. */
  deniedByCode: z.partialRecord(DenialCodeSchema, count),
  /**
   * Per source (docs/integration.md, "Insights"): `source` null is Retract's own messaging, otherwise
   * the chat system an integration named; only sources with activity, by recalls (then denials), most first.
   */
  bySource: z.array(z.object({ source: z.string().max(32).nullable(), recalled: count, forced: count, denied: count })).max(MAX_INSIGHT_SOURCES + 1),
  /** By recalls (then denials), most first. */
  topRecallers: z.array(z.object({ userId: z.uuid(), displayName: displayNameText(), recalled: count, denied: count })).max(MAX_TOP_RECALLERS),
});
export type RecallInsights = z.infer<typeof RecallInsightsSchema>;
