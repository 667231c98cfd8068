import type { SqlTx, Tx } from '@retract/db';
import { personOf, type LeafSummary, type OpenedPersonal, type Person } from './audit-entry-view';
import type { ContentVault } from './content-vault';

/**
 * Opens the personal data of a page of entries (docs/audit-log.md, "Personal data"): the sealed
 * `personal` part of format-2 entries, with one read of the keys it needs; a format-1 entry's
 * reason as it was kept, in the clear.
 */
export async function openPersonalData(vault: ContentVault, tx: SqlTx, tenantId: string, summaries: readonly LeafSummary[]): Promise<OpenedPersonal[]> {
  const sealed = summaries.filter((summary) => summary.personal !== null);
  const opened = await vault.openAll(
    tx,
    tenantId,
    sealed.map((summary) => ({ envelope: summary.personal!, entry: { ...summary.binding, part: 'personal' as const } })),
  );
  const bySummary = new Map(sealed.map((summary, i) => [summary, opened[i]]));
  return summaries.map((summary) => {
    const part = bySummary.get(summary);
    if (!part) return { state: null, reason: summary.clearReason, details: {} };
    if (part.state !== 'READABLE') return { state: part.state, reason: null, details: {} };
    const value = (part.content ?? {}) as { reason?: unknown; details?: unknown };
    return {
      state: 'READABLE',
      reason: typeof value.reason === 'string' ? value.reason : null,
      details: typeof value.details === 'object' && value.details !== null ? (value.details as Record<string, unknown>) : {},
    };
  });
}

/**
 * The people entries name, by id. An erased person is not among them: their email and name are
 * gone, and every entry that names them shows an erased person.
 */
export async function peopleById(tx: Tx, tenantId: string, ids: readonly (string | null)[]): Promise<Map<string, NonNullable<Person>>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const users = await tx.user.findMany({ where: { tenantId, id: { in: unique }, erasedAt: null }, select: { id: true, displayName: true, email: true } });
  return new Map(users.map((user) => [user.id, personOf(user)]));
}
