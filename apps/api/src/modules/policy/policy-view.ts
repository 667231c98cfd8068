import type { PolicyVersionView } from '@retract/contracts';
import type { Tx } from '@retract/db';
import type { StoredPolicyVersion } from './policy-store';

/** Versions as the API shows them, with their authors' names. */
export async function toPolicyViews(tx: Tx, tenantId: string, versions: StoredPolicyVersion[]): Promise<PolicyVersionView[]> {
  const authorIds = [...new Set(versions.map((v) => v.createdBy).filter((id): id is string => id !== null))];
  const authors = authorIds.length ? await tx.user.findMany({ where: { tenantId, id: { in: authorIds } }, select: { id: true, displayName: true } }) : [];
  const names = new Map(authors.map((a) => [a.id, a.displayName]));
  return versions.map((v) => ({
    version: v.version,
    settings: v.document.settings,
    overrides: v.document.overrides,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy ? { id: v.createdBy, displayName: names.get(v.createdBy) ?? '' } : null,
    diff: v.diff,
  }));
}
