import { Injectable } from '@nestjs/common';
import { appendToFrontier, encodeLeaf, hashLeaf, parseFrontier, serializeFrontier, type AuditEntry, type JsonValue } from '@retract/audit-log';
import { Prisma, type AuditAction as DbAuditAction, type Tx } from '@retract/db';
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

  async lockHead(tx: Tx, tenantId: string): Promise<LogHead> {
    await tx.$executeRaw`INSERT INTO audit_log_heads (tenant_id) VALUES (${tenantId}::uuid) ON CONFLICT (tenant_id) DO NOTHING`;
    const [head] = await tx.$queryRaw<{ size: bigint; frontier: Uint8Array[]; updated_at: Date }[]>`
      SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = ${tenantId}::uuid FOR UPDATE`;
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
    await tx.auditEntry.create({
      data: {
        tenantId,
        seq: BigInt(seq),
        leaf: Buffer.from(leaf),
        leafHash: Buffer.from(leafHash),
        occurredAt,
        action: draft.action as DbAuditAction,
        actorId: draft.actorId,
        subjectUserId: draft.subjectUserId ?? null,
        conversationId: draft.conversationId ?? null,
        messageId: draft.messageId ?? null,
        policyVersion: draft.policyVersion ?? null,
        decidedBy: draft.decidedBy ?? null,
        denialCode: draft.denialCode ?? null,
        forced: draft.forced ?? false,
        dataKeyId: sealed?.dataKeyId ?? null,
        searchText: searchTextOf(draft),
      },
    });
    if (appended.completedNodes.length > 0) {
      await tx.auditTreeNode.createMany({
        data: appended.completedNodes.map((node) => ({ tenantId, level: node.level, index: BigInt(node.index), hash: Buffer.from(node.hash) })),
      });
    }
    const frontierArray = appended.frontier.hashes.map((hash) => Buffer.from(hash));
    await tx.$executeRaw`
      UPDATE audit_log_heads SET size = ${BigInt(seq + 1)}, frontier = ${frontierArray}::bytea[], updated_at = ${occurredAt}
       WHERE tenant_id = ${tenantId}::uuid`;
    if (this.checkpointEvery && (seq + 1) % this.checkpointEvery.entries === 0) await this.checkpointEvery.issue(tx, tenantId);
    return { seq, occurredAt: entry.occurredAt, leafHash };
  }
}

function serializeFrontierOf(head: LogHead) {
  return serializeFrontier({ size: head.size, hashes: head.frontierHashes });
}

export { Prisma };
