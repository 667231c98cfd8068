import type { SqlTx } from '@retract/db';
import type { RecentRecalls } from '@retract/recall-policy';

export const HOUR_MS = 3_600_000;

/**
 * The actor's successful recalls in the hour before `now` (recorded with every attempt, so a
 * simulation can replay rate limits). When a limit applies, a per-actor advisory lock first
 * makes the count exact under concurrency: two recalls by one user cannot both see room under it.
 * Both statements go out together on the pipelined connection: the server runs the count after the
 * lock is granted, in a snapshot taken then.
 */
export async function recentRecalls(tx: SqlTx, actor: { tenantId: string; userId: string }, now: Date, limited: boolean): Promise<RecentRecalls> {
  const locked = limited ? tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`recall:${actor.tenantId}:${actor.userId}`}, 0))` : undefined;
  // recent_recalls (migration 20261219110000_recall_write_functions.sql) keeps its plan for the session.
  const counted = tx.$queryRaw<{ recall_count: bigint; oldest_at: Date | null }[]>`
    SELECT recall_count, oldest_at FROM recent_recalls(${actor.tenantId}::uuid, ${actor.userId}::uuid, ${new Date(now.getTime() - HOUR_MS)}::timestamptz, ${now}::timestamptz)`;
  const [, [row]] = await Promise.all([locked, counted]);
  return { count: Number(row.recall_count), oldestAt: row.oldest_at };
}
