import type { NodeRef, NodeSource } from '@retract/audit-log';
import { Prisma, type Tx } from '@retract/db';

/** Serves proof nodes from the stored leaf hashes (level 0) and completed subtree hashes (level ≥ 1). */
export function treeNodeSource(tx: Tx, tenantId: string): NodeSource {
  return {
    async getNodes(refs: readonly NodeRef[]) {
      if (refs.length === 0) return [];
      const levels = refs.map((ref) => ref.level);
      const indexes = refs.map((ref) => BigInt(ref.index));
      const rows = await tx.$queryRaw<{ level: number; idx: bigint; hash: Uint8Array }[]>(Prisma.sql`
        SELECT r.level, r.idx, COALESCE(e.leaf_hash, n.hash) AS hash
          FROM unnest(${levels}::int[], ${indexes}::bigint[]) AS r(level, idx)
          LEFT JOIN audit_entries e ON r.level = 0 AND e.tenant_id = ${tenantId}::uuid AND e.seq = r.idx
          LEFT JOIN audit_tree_nodes n ON r.level > 0 AND n.tenant_id = ${tenantId}::uuid AND n.level = r.level AND n.index = r.idx`);
      const byRef = new Map(rows.map((row) => [`${row.level}/${row.idx}`, row.hash]));
      return refs.map((ref) => {
        const hash = byRef.get(`${ref.level}/${ref.index}`);
        if (!hash) throw new Error(`audit tree node (${ref.level}, ${ref.index}) is missing`);
        return new Uint8Array(hash);
      });
    },
  };
}
