import type { SqlTx } from '@retract/db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const senderIdOf = (payload: unknown): string | undefined => {
  const id = (payload as { senderId?: unknown } | null)?.senderId;
  return typeof id === 'string' && UUID.test(id) ? id : undefined;
};

/**
 * Events are stored with the sender's id only: a name stored with them would outlive the
 * person's erasure, since events never change. The name is read from the users table when an
 * event is read or delivered (an erased person's is the placeholder erasure left; docs/audit-log.md,
 * "Personal data"), one query for a batch.
 */
export async function withSenderNames<T extends { payload: unknown }>(tx: SqlTx, tenantId: string, rows: readonly T[]): Promise<T[]> {
  const ids = [...new Set(rows.map((row) => senderIdOf(row.payload)).filter((id): id is string => id !== undefined))];
  if (ids.length === 0) return [...rows];
  const users = await tx.$queryRaw<{ id: string; display_name: string }[]>`
    SELECT id, display_name FROM users WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${ids}::uuid[])`;
  const names = new Map(users.map((user) => [user.id, user.display_name]));
  return rows.map((row) => {
    const senderId = senderIdOf(row.payload);
    return senderId ? { ...row, payload: { ...(row.payload as Record<string, unknown>), senderName: names.get(senderId) ?? '' } } : row;
  });
}
