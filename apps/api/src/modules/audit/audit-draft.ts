import type { AuditAction } from '@retract/contracts';
import type { JsonValue, UnplacedEntry } from '@retract/audit-log';

/**
 * What a caller records; the audit log adds tenant, seq and time. Field names are the leaf's
 * field names, and the searchable columns are copied from them (verification checks the copies).
 * People appear by id only; what identifies a person beyond that, and any free text, is personal
 * data and is sealed (docs/audit-log.md, "Personal data").
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
  /** Free text (a recall's or an erasure's reason, a hold's matter): sealed in the leaf's `personal` part. */
  reason?: string | null;
  /** Action-specific facts (ids, codes, counts, diffs, export ranges...), never content, an email, a name or free text. */
  details?: Record<string, JsonValue>;
  /** Facts that identify a person beyond their id (an email, quoted matters): sealed with `reason`, shown merged into `details`. */
  personal?: Record<string, JsonValue>;
  /** Content to keep, encrypted under the subject's data key; only its ciphertext enters the leaf. */
  content?: { subjectUserId: string; value: JsonValue };
}

export interface AppendedEntry {
  seq: number;
  occurredAt: string;
  leafHash: Uint8Array;
}

/** What the leaf's `personal` envelope seals. */
export interface PersonalPart {
  reason?: string;
  details?: Record<string, JsonValue>;
}

/** The draft's personal data, or null when it has none (the leaf's `personal` is then null). */
export function personalPartOf(draft: AuditDraft): PersonalPart | null {
  const part: PersonalPart = {};
  if (draft.reason !== undefined && draft.reason !== null) part.reason = draft.reason;
  if (draft.personal && Object.keys(draft.personal).length > 0) part.details = draft.personal;
  return Object.keys(part).length > 0 ? part : null;
}

/**
 * Whose data key seals the entry's personal data: the person the entry is about (the owner of its
 * content, else its subject), else the person who wrote it. Erasing that person removes it.
 */
export function personalDataOwner(draft: AuditDraft): string {
  const owner = draft.content?.subjectUserId ?? draft.subjectUserId ?? draft.actorId;
  if (!owner) throw new Error(`a ${draft.action} entry without a person cannot carry personal data`);
  return owner;
}

/** Text a compliance officer can search: metadata only, never content or personal data. */
export function searchTextOf(draft: AuditDraft): string {
  const parts = [draft.action, draft.decidedBy ?? '', draft.denialCode ?? '', JSON.stringify(draft.details ?? {})];
  return parts.join(' ').toLowerCase().slice(0, 4000);
}

/** The leaf fields of a draft, before the log places it (seq and time); `content` and `personal` are sealed envelopes. */
export function unplacedEntry(tenantId: string, draft: AuditDraft, sealed: { content: JsonValue | null; personal: JsonValue | null }): UnplacedEntry {
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
    details: draft.details ?? {},
    content: sealed.content,
    personal: sealed.personal,
  };
}
