import type { NodeRef, NodeSource } from '@retract/audit-log';
import { Prisma, type SqlTx } from '@retract/db';

/**
 * Stored tree nodes, in the order of `refs`, `undefined` where there is none: leaf hashes (level 0)
 * from audit_entries by seq, completed subtree hashes (level ≥ 1) from audit_tree_nodes, all in
 * one statement of primary-key probes whatever the size of the log.
 */
export async function readTreeNodes(tx: SqlTx, tenantId: string, refs: readonly NodeRef[]): Promise<(Uint8Array | undefined)[]> {
  if (refs.length === 0) return [];
  const leaves = refs.filter((ref) => ref.level === 0).map((ref) => BigInt(ref.index));
  const inner = refs.filter((ref) => ref.level > 0);
  const rows = await tx.$queryRaw<{ level: number; idx: bigint; hash: Uint8Array }[]>(Prisma.sql`
    SELECT 0 AS level, e.seq AS idx, e.leaf_hash AS hash
      FROM audit_entries e
     WHERE e.tenant_id = ${tenantId}::uuid AND e.seq = ANY (${leaves}::bigint[])
    UNION ALL
    SELECT n.level, n.index, n.hash
      FROM unnest(${inner.map((ref) => ref.level)}::smallint[], ${inner.map((ref) => BigInt(ref.index))}::bigint[]) AS r(level, idx)
      JOIN audit_tree_nodes n ON n.tenant_id = ${tenantId}::uuid AND n.level = r.level AND n.index = r.idx`);
  const byRef = new Map(rows.map((row) => [`${row.level}/${row.idx}`, row.hash]));
  return refs.map((ref) => {
    const hash = byRef.get(`${ref.level}/${ref.index}`);
    return hash ? new Uint8Array(hash) : undefined;
  });
}

/** A proof needs a node the tree should hold: the stored tree is damaged, never a caller's mistake. */
export function missingTreeNode(ref: NodeRef): never {
  throw new Error(`audit tree node (${ref.level}, ${ref.index}) is missing`);
}

/** Serves proof nodes from the stored leaf hashes (level 0) and completed subtree hashes (level ≥ 1). */
export function treeNodeSource(tx: SqlTx, tenantId: string): NodeSource {
  return {
    async getNodes(refs: readonly NodeRef[]) {
      const hashes = await readTreeNodes(tx, tenantId, refs);
      return hashes.map((hash, i) => hash ?? missingTreeNode(refs[i]));
    },
  };
}
