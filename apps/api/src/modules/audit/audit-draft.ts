import type { AuditAction } from '@retract/contracts';
import type { JsonValue, UnplacedEntry } from '@retract/audit-log';

/**
 * What a caller records; the audit log adds tenant, seq and time. Field names are the leaf's
 * field names, and the searchable columns are copied from them (verification checks the copies).
 */
export interface AuditDraft {
  action: AuditAction;
  actorId: string | null;
  subjectUserId?: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  policyVersion?: number | null;
  decidedBy?: string | null;
  denialCode?: string | null;
  forced?: boolean;
  reason?: string | null;
  /** Action-specific facts (recipients, alreadyDeliveredTo, diffs, export ranges...), never message content. */
  details?: Record<string, JsonValue>;
  /** Content to keep, encrypted under the subject's data key; only its ciphertext enters the leaf. */
  content?: { subjectUserId: string; value: JsonValue };
}

export interface AppendedEntry {
  seq: number;
  occurredAt: string;
  leafHash: Uint8Array;
}

/** Text a compliance officer can search: metadata only, never content. */
export function searchTextOf(draft: AuditDraft): string {
  const parts = [draft.action, draft.reason ?? '', draft.decidedBy ?? '', draft.denialCode ?? '', JSON.stringify(draft.details ?? {})];
  return parts.join(' ').toLowerCase().slice(0, 4000);
}

/** The leaf fields of a draft, before the log places it (seq and time); `content` is the sealed envelope. */
export function unplacedEntry(tenantId: string, draft: AuditDraft, content: JsonValue | null): UnplacedEntry {
  return {
    tenantId,
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
    details: draft.details ?? {},
    content,
  };
}
