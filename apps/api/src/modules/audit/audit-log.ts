import { Injectable } from '@nestjs/common';
import { leafTemplate, type JsonValue } from '@retract/audit-log';
import { afterCommit, type SqlTx } from '@retract/db';
import { personalDataOwner, personalPartOf, searchTextOf, unplacedEntry, type AuditDraft } from './audit-draft';
import { AuditSequencer } from './audit-sequencer';
import { AuditTicket } from './audit-ticket';
import { ContentVault } from './content-vault';

export interface LogHead {
  size: number;
  frontierHashes: Uint8Array[];
  lastOccurredAt: Date;
}

/**
 * The only insert path into the audit log (docs/audit-log.md, "Write path"). `append` runs inside
 * the caller's transaction and queues the entry there — sealed content, canonical leaf text with
 * its seq and time left open, searchable columns — so the entry commits or rolls back with the
 * change it records, and no lock on the log is taken. After the commit the sequencer integrates
 * queued entries in batches (one head update per batch); the transaction runner waits for that
 * before it returns, and the returned ticket then holds the entry's seq, time and leaf hash.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly vault: ContentVault,
    private readonly sequencer: AuditSequencer,
  ) {}

  /** Entries in the tenant's log (read without locking). */
  async size(tx: SqlTx, tenantId: string): Promise<number> {
    return (await this.head(tx, tenantId)).size;
  }

  /** The integrated head as the transaction sees it. Every size up to it names an immutable tree. */
  async head(tx: SqlTx, tenantId: string): Promise<LogHead> {
    const [head] = await tx.$queryRaw<{ size: bigint; frontier: Uint8Array[]; updated_at: Date }[]>`
      SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = ${tenantId}::uuid`;
    if (!head) return { size: 0, frontierHashes: [], lastOccurredAt: new Date(0) };
    return { size: Number(head.size), frontierHashes: head.frontier.map((hash) => new Uint8Array(hash)), lastOccurredAt: head.updated_at };
  }

  /**
   * Serialises the tenant's evidence-destroying and evidence-protecting changes (erasure, retention,
   * legal holds) against each other for the rest of the transaction, without blocking appends.
   */
  async lockEvidence(tx: SqlTx, tenantId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`evidence:${tenantId}`}, 0))`;
  }

  async append(tx: SqlTx, tenantId: string, draft: AuditDraft): Promise<AuditTicket> {
    const personalValue = personalPartOf(draft);
    for (let attempt = 0; ; attempt++) {
      // One time for both seals: the same person and month give the same data key.
      const at = new Date();
      const binding = { action: draft.action, messageId: draft.messageId ?? null };
      const sealed = draft.content ? await this.vault.seal(tx, tenantId, draft.content.subjectUserId, draft.content.value, at, binding) : undefined;
      const personal = personalValue
        ? await this.vault.seal(tx, tenantId, personalDataOwner(draft), personalValue, at, { ...binding, part: 'personal' })
        : undefined;
      const entry = unplacedEntry(tenantId, draft, {
        content: (sealed?.envelope ?? null) as JsonValue,
        personal: (personal?.envelope ?? null) as JsonValue,
      });
      const template = leafTemplate(entry);
      // The column copy names the key that seals the entry's parts (content and personal data share it).
      const dataKeyId = sealed?.dataKeyId ?? personal?.dataKeyId ?? null;
      const keyIds = [...new Set([sealed?.dataKeyId, personal?.dataKeyId].filter((id): id is string => id !== undefined))];
      // A data key found in this replica's cache may have been shredded since: then nothing is
      // queued, the key is forgotten and the parts sealed again under a live key.
      // audit_queue keeps the statement's plan for the session; NULL when a key was destroyed.
      const [row] = await tx.$queryRaw<{ id: bigint | null }[]>`
        SELECT audit_queue(${tenantId}::uuid, ${[...template]}::text[], ${draft.action}::audit_action, ${draft.actorId}::uuid,
                           ${draft.subjectUserId ?? null}::uuid, ${draft.conversationId ?? null}::uuid, ${draft.messageId ?? null}::uuid,
                           ${draft.policyVersion ?? null}::int, ${draft.decidedBy ?? null}, ${draft.denialCode ?? null}, ${draft.forced ?? false},
                           ${dataKeyId}::uuid, ${searchTextOf(draft)}, ${keyIds}::uuid[]) AS id`;
      if (row.id === null) {
        for (const id of keyIds) this.vault.forget(tenantId, id);
        if (attempt < 2) continue;
        throw new Error('content key was destroyed while sealing, repeatedly');
      }
      const ticket = new AuditTicket(tenantId, BigInt(row.id), template);
      afterCommit(tx, () => this.sequencer.integrate(ticket));
      return ticket;
    }
  }
}
