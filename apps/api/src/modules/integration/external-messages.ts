import type { SqlTx } from '@retract/db';
import type { RecentRecalls } from '@retract/recall-policy';
import { HOUR_MS } from '../recall/recall-store';

/** What Retract keeps of a chat system's message: its own id, when it first saw it, and its recall (never its content). */
export interface ExternalMessageRow {
  id: string;
  firstSeenAt: Date;
  recalledAt: Date | null;
}

type Row = { id: string; first_seen_at: Date; recalled_at: Date | null };
const toRow = (row: Row): ExternalMessageRow => ({ id: row.id, firstSeenAt: row.first_seen_at, recalledAt: row.recalled_at });

export async function findExternalMessage(tx: SqlTx, tenantId: string, source: string, externalId: string): Promise<ExternalMessageRow | null> {
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT id, first_seen_at, recalled_at FROM external_messages
     WHERE tenant_id = ${tenantId}::uuid AND source = ${source} AND external_id = ${externalId}`;
  return row ? toRow(row) : null;
}

/**
 * Notes Retract's first sight of a message (a decision does so only when the chat system's clock
 * is ahead: docs/integration.md, "Time"). A concurrent first sight keeps the earlier row.
 */
export async function noteSighting(tx: SqlTx, tenantId: string, source: string, externalId: string, at: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO external_messages (tenant_id, source, external_id, first_seen_at) VALUES (${tenantId}::uuid, ${source}, ${externalId}, ${at})
    ON CONFLICT (tenant_id, source, external_id) DO NOTHING`;
}

/**
 * The message's row, created at first sight, with its row lock: concurrent recalls of one message
 * queue here, the first recalls it and the others see it recalled (ALREADY_RECALLED).
 */
export async function lockExternalMessage(tx: SqlTx, tenantId: string, source: string, externalId: string, now: Date): Promise<ExternalMessageRow> {
  await noteSighting(tx, tenantId, source, externalId, now);
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT id, first_seen_at, recalled_at FROM external_messages
     WHERE tenant_id = ${tenantId}::uuid AND source = ${source} AND external_id = ${externalId}
       FOR UPDATE`;
  return toRow(row);
}

export async function markExternalRecalled(tx: SqlTx, tenantId: string, id: string, at: Date, by: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE external_messages SET recalled_at = ${at}, recalled_by = ${by}::uuid WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid`;
}

/**
 * The person's recalls through chat systems in the hour before `now` (the policy's rate limit).
 * With a limit in force, the same per-actor advisory lock as built-in recalls makes the count exact.
 */
export async function recentExternalRecalls(tx: SqlTx, tenantId: string, userId: string, now: Date, limited: boolean): Promise<RecentRecalls> {
  if (limited) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`recall:${tenantId}:${userId}`}, 0))`;
  const [row] = await tx.$queryRaw<{ count: bigint; oldest: Date | null }[]>`
    SELECT count(*)::bigint AS count, min(recalled_at) AS oldest FROM external_messages
     WHERE tenant_id = ${tenantId}::uuid AND recalled_by = ${userId}::uuid
       AND recalled_at > ${new Date(now.getTime() - HOUR_MS)} AND recalled_at <= ${now}`;
  return { count: Number(row.count), oldestAt: row.oldest };
}
