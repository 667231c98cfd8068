import { decodeLeaf } from '@retract/audit-log';
import type { AuditAction, AuditEntryView } from '@retract/contracts';
import type { AuditEntry as AuditRow } from '@retract/db';

export type Person = { id: string; displayName: string; email: string } | null;

export function toEntryView(row: AuditRow, people: Map<string, NonNullable<Person>>): AuditEntryView {
  const leaf = decodeLeaf(new Uint8Array(row.leaf));
  return {
    seq: Number(row.seq),
    occurredAt: row.occurredAt.toISOString(),
    action: row.action as AuditAction,
    actor: row.actorId ? (people.get(row.actorId) ?? null) : null,
    actorId: row.actorId,
    subjectUserId: row.subjectUserId,
    conversationId: row.conversationId,
    messageId: row.messageId,
    policyVersion: row.policyVersion,
    decidedBy: row.decidedBy,
    denialCode: row.denialCode,
    forced: row.forced,
    reason: typeof leaf.reason === 'string' ? leaf.reason : null,
    hasContent: leaf.content !== null && leaf.content !== undefined,
    leafHash: Buffer.from(row.leafHash).toString('base64'),
  };
}
