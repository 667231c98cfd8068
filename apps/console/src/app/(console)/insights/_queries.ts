import 'server-only';
import { MAX_INSIGHT_BUCKETS, RecallInsightsSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { enumParam } from '../../../lib/params';
import { requireSection } from '../../../lib/sections';

export const RANGES = ['1', '7', '30', '90', '365'] as const;
export const BUCKETS = ['hour', 'day', 'week'] as const;
export type Range = (typeof RANGES)[number];
export type Bucket = (typeof BUCKETS)[number];

const BUCKET_MS: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

export function parseInsightsParams(params: Record<string, string | string[] | undefined>): { range: Range; bucket: Bucket } {
  const range = enumParam(params, 'range', RANGES) ?? '30';
  const fallback: Bucket = range === '1' ? 'hour' : range === '365' ? 'week' : 'day';
  return { range, bucket: enumParam(params, 'bucket', BUCKETS) ?? fallback };
}

export function bucketCount(range: Range, bucket: Bucket): number {
  return Math.ceil((Number(range) * 86_400_000) / BUCKET_MS[bucket]);
}

/** Recall counts from the audit trail for an admin or compliance officer. */
export async function loadInsights({ range, bucket }: { range: Range; bucket: Bucket }) {
  await requireSection('insights');
  if (bucketCount(range, bucket) > MAX_INSIGHT_BUCKETS) return { tooMany: true as const };
  const to = new Date();
  const from = new Date(to.getTime() - Number(range) * 86_400_000);
  const insights = await apiFetch(
    withQuery('/api/v1/insights/recalls', { from: from.toISOString(), to: to.toISOString(), bucket, top: 10 }),
    RecallInsightsSchema,
  );
  return { tooMany: false as const, insights };
}
