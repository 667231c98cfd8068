import type { RetentionChange, Tx } from '@retract/db';

/** The shortening of audit retention waiting out its delay, if any (at most one per organisation). */
export function loadPendingRetentionChange(tx: Tx, tenantId: string): Promise<RetentionChange | null> {
  return tx.retentionChange.findFirst({ where: { tenantId, cancelledAt: null, appliedAt: null } });
}

export function findRetentionChange(tx: Tx, tenantId: string, id: string): Promise<RetentionChange | null> {
  return tx.retentionChange.findFirst({ where: { tenantId, id } });
}

export function insertRetentionChange(
  tx: Tx,
  change: { tenantId: string; fromDays: number; toDays: number; proposedBy: string; proposedAt: Date; effectiveAt: Date },
) {
  return tx.retentionChange.create({ data: change });
}

export function markRetentionChange(tx: Tx, change: RetentionChange, settled: { cancelledBy: string; cancelledAt: Date } | { appliedAt: Date }) {
  return tx.retentionChange.update({ where: { tenantId_id: { tenantId: change.tenantId, id: change.id } }, data: settled });
}
