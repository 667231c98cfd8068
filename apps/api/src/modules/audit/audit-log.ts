import { Injectable } from '@nestjs/common';
import { appendToFrontier, encodeLeaf, hashLeaf, parseFrontier, serializeFrontier, type AuditEntry, type JsonValue } from '@retract/audit-log';
import { Prisma, type Tx } from '@retract/db';
import { ContentVault } from './content-vault';
import { searchTextOf, type AppendedEntry, type AuditDraft } from './audit-draft';

export interface LogHead {
  size: number;
  frontierHashes: Uint8Array[];
  lastOccurredAt: Date;
}

/**
 * The only insert path into the audit log. Runs inside the caller's transaction, so the entry
 * commits or rolls back with the change it records. The tenant's head row is locked first,
 * which serializes appends per tenant (seq stays gap-free, no forks) while other tenants
 * append in parallel; UNIQUE (tenant_id, seq) is the backstop.
 */
@Injectable()
export class AuditLog {
  private checkpointEvery?: { entries: number; issue: (tx: Tx, tenantId: string) => Promise<unknown> };

  constructor(private readonly vault: ContentVault) {}

  /** Lets the checkpoint signer sign, in the same transaction, every time the log grows by `entries`. */
  checkpointEveryEntries(entries: number, issue: (tx: Tx, tenantId: string) => Promise<unknown>): void {
    this.checkpointEvery = { entries, issue };
  }

  /** Entries in the tenant's log (read without locking). */
  async size(tx: Tx, tenantId: string): Promise<number> {
    const [head] = await tx.$queryRaw<{ size: bigint }[]>`SELECT size FROM audit_log_heads WHERE tenant_id = ${tenantId}::uuid`;
    return Number(head?.size ?? 0);
  }

  async lockHead(tx: Tx, tenantId: string): Promise<LogHead> {
    const select = () => tx.$queryRaw<{ size: bigint; frontier: Uint8Array[]; updated_at: Date }[]>`
      SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = ${tenantId}::uuid FOR UPDATE`;
    let [head] = await select();
    if (!head) {
      await tx.$executeRaw`INSERT INTO audit_log_heads (tenant_id) VALUES (${tenantId}::uuid) ON CONFLICT (tenant_id) DO NOTHING`;
      [head] = await select();
    }
    return { size: Number(head.size), frontierHashes: head.frontier.map((hash) => new Uint8Array(hash)), lastOccurredAt: head.updated_at };
  }

  async append(tx: Tx, tenantId: string, draft: AuditDraft): Promise<AppendedEntry> {
    const head = await this.lockHead(tx, tenantId);
    const seq = head.size;
    // Time never runs backwards inside one log, even across replicas with skewed clocks.
    const occurredAt = new Date(Math.max(Date.now(), head.lastOccurredAt.getTime()));
    const sealed = draft.content ? await this.vault.seal(tx, tenantId, draft.content.subjectUserId, draft.content.value, occurredAt) : undefined;
    const entry: AuditEntry = {
      tenantId,
      seq,
      occurredAt: occurredAt.toISOString(),
      action: draft.action,
      actorId: draft.actorId,
      subjectUserId: draft.subjectUserId ?? null,
      conversationId: draft.conversationId ?? null,
      messageId: draft.messageId ?? null,
      policyVersion: draft.policyVersion ?? null,
      decidedBy: draft.decidedBy ?? null,
      denialCode: draft.denialCode ?? null,
      forced: draft.forced ?? false,
      reason: draft.reason ?? null,
      details: (draft.details ?? {}) as JsonValue,
      content: (sealed?.envelope ?? null) as JsonValue,
    };
    const leaf = encodeLeaf(entry);
    const leafHash = hashLeaf(leaf);
    const frontier = parseFrontier(serializeFrontierOf(head));
    const appended = appendToFrontier(frontier, leafHash);
    const frontierArray = appended.frontier.hashes.map((hash) => Buffer.from(hash));
    const nodes = appended.completedNodes;
    // One round trip for the entry, its completed subtree nodes and the new head.
    await tx.$executeRaw(Prisma.sql`
      WITH entry AS (
        INSERT INTO audit_entries (tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, subject_user_id, conversation_id,
                                   message_id, policy_version, decided_by, denial_code, forced, data_key_id, search_text)
        VALUES (${tenantId}::uuid, ${BigInt(seq)}, ${Buffer.from(leaf)}, ${Buffer.from(leafHash)}, ${occurredAt}, ${draft.action}::audit_action,
                ${draft.actorId}::uuid, ${draft.subjectUserId ?? null}::uuid, ${draft.conversationId ?? null}::uuid, ${draft.messageId ?? null}::uuid,
                ${draft.policyVersion ?? null}::int, ${draft.decidedBy ?? null}, ${draft.denialCode ?? null}, ${draft.forced ?? false},
                ${sealed?.dataKeyId ?? null}::uuid, ${searchTextOf(draft)})
      ), nodes AS (
        INSERT INTO audit_tree_nodes (tenant_id, level, index, hash)
        SELECT ${tenantId}::uuid, level, index, hash
          FROM unnest(${nodes.map((n) => n.level)}::smallint[], ${nodes.map((n) => BigInt(n.index))}::bigint[], ${nodes.map((n) => Buffer.from(n.hash))}::bytea[])
            AS completed(level, index, hash)
      )
      UPDATE audit_log_heads SET size = ${BigInt(seq + 1)}, frontier = ${frontierArray}::bytea[], updated_at = ${occurredAt}
       WHERE tenant_id = ${tenantId}::uuid`);
    if (this.checkpointEvery && (seq + 1) % this.checkpointEvery.entries === 0) await this.checkpointEvery.issue(tx, tenantId);
    return { seq, occurredAt: entry.occurredAt, leafHash };
  }
}

function serializeFrontierOf(head: LogHead) {
  return serializeFrontier({ size: head.size, hashes: head.frontierHashes });
}

