import { DEFAULT_POLICY_DOCUMENT, PolicyDocumentSchema, type PolicyDiffEntry, type PolicyDocument } from '@retract/contracts';
import type { Prisma, SqlTx, Tx } from '@retract/db';
import { diffPolicies } from '@retract/recall-policy';

export interface StoredPolicyVersion {
  version: number;
  document: PolicyDocument;
  diff: PolicyDiffEntry[];
  createdAt: Date;
  createdBy: string | null;
}

const toStored = (row: { version: number; document: unknown; diff: unknown; createdAt: Date; createdBy: string | null }): StoredPolicyVersion => ({
  version: row.version,
  // Stored documents were validated on write; parsing again fills defaults added since.
  document: PolicyDocumentSchema.parse(row.document),
  diff: (row.diff ?? []) as PolicyDiffEntry[],
  createdAt: row.createdAt,
  createdBy: row.createdBy,
});

/** Version 1: the defaults of DESIGN §3, written when a tenant is provisioned. */
export function initialPolicyRow(tenantId: string, createdBy: string | null) {
  return {
    tenantId,
    version: 1,
    document: DEFAULT_POLICY_DOCUMENT as unknown as Prisma.InputJsonValue,
    diff: diffPolicies(null, DEFAULT_POLICY_DOCUMENT) as unknown as Prisma.InputJsonValue,
    createdBy,
  };
}

/**
 * The tenant's policy in force (its newest version). A tenant provisioned before policies were
 * versioned gets version 1 (the defaults, author unknown) on first use.
 */
export async function loadCurrentPolicy(tx: SqlTx, tenantId: string): Promise<StoredPolicyVersion> {
  const newest = () => tx.$queryRaw<{ version: number; document: unknown; diff: unknown; created_at: Date; created_by: string | null }[]>`
    SELECT version, document, diff, created_at, created_by FROM policy_versions WHERE tenant_id = ${tenantId}::uuid ORDER BY version DESC LIMIT 1`;
  let [row] = await newest();
  if (!row) {
    const initial = initialPolicyRow(tenantId, null);
    await tx.$executeRaw`
      INSERT INTO policy_versions (tenant_id, version, document, diff, created_by)
      VALUES (${tenantId}::uuid, 1, ${JSON.stringify(initial.document)}::jsonb, ${JSON.stringify(initial.diff)}::jsonb, NULL)
      ON CONFLICT DO NOTHING`;
    [row] = await newest();
  }
  return toStored({ version: row.version, document: row.document, diff: row.diff, createdAt: new Date(row.created_at), createdBy: row.created_by });
}

export async function listPolicyVersions(tx: Tx, tenantId: string, before: number | undefined, limit: number): Promise<StoredPolicyVersion[]> {
  await loadCurrentPolicy(tx, tenantId);
  const rows = await tx.policyVersion.findMany({
    where: { tenantId, ...(before !== undefined ? { version: { lt: before } } : {}) },
    orderBy: { version: 'desc' },
    take: limit,
  });
  return rows.map(toStored);
}
