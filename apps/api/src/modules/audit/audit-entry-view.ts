import { isPlaceholderEmail, MAX_LISTED_DETAIL_ITEMS, type AuditAction, type AuditEntryView } from '@retract/contracts';
import type { ContentEnvelope, EntryBinding } from './content-vault';

/** A person named by an entry, resolved when it is read; an erased person resolves to null (docs/audit-log.md, "Personal data"). */
export type Person = { id: string; displayName: string; email: string | null } | null;

/** A person as views show them: a placeholder address (docs/integration.md, "People and conversations") is no address. */
export const personOf = (user: { id: string; displayName: string; email: string }): NonNullable<Person> => ({
  id: user.id,
  displayName: user.displayName,
  email: isPlaceholderEmail(user.email) ? null : user.email,
});

/** The columns a view is made of (a Prisma AuditEntry row has them, and so does the list query). */
export interface AuditEntryColumns {
  seq: bigint;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  subjectUserId: string | null;
  conversationId: string | null;
  messageId: string | null;
  policyVersion: number | null;
  decidedBy: string | null;
  denialCode: string | null;
  forced: boolean;
  dataKeyId: string | null;
  leaf: Uint8Array;
  leafHash: Uint8Array;
}

/** What a view takes from the leaf: whether it has content, its personal data (sealed, or in the clear in format 1), what binds them. */
export interface LeafSummary {
  hasContent: boolean;
  /** A format-1 entry's reason, kept in the clear before personal data was sealed. */
  clearReason: string | null;
  personal: ContentEnvelope | null;
  binding: EntryBinding;
  /** Integration mode: the chat system and the service account an entry came through (clear `details`). */
  source: string | null;
  serviceAccountId: string | null;
  /** The leaf's details in the clear (its sealed personal data is opened apart: personal-data.ts). */
  details: Record<string, unknown>;
}

const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const isEnvelope = (value: unknown): value is ContentEnvelope =>
  typeof value === 'object' && value !== null && typeof (value as ContentEnvelope).kid === 'string' && typeof (value as ContentEnvelope).ct === 'string';

/**
 * A plain parse, not `decodeLeaf`: checking that the bytes are canonical is verification's job,
 * and it would be most of a page's time. A leaf that does not even parse still lists
 * (verification names it); whether it has content then comes from data_key_id, the column copy
 * of its content key.
 */
export function leafSummary(row: AuditEntryColumns): LeafSummary {
  const binding = { action: row.action, messageId: row.messageId };
  try {
    const leaf = JSON.parse(Buffer.from(row.leaf.buffer, row.leaf.byteOffset, row.leaf.byteLength).toString('utf8')) as Record<string, unknown>;
    const details = (typeof leaf.details === 'object' && leaf.details !== null ? leaf.details : {}) as Record<string, unknown>;
    return {
      hasContent: leaf.content !== null && leaf.content !== undefined,
      clearReason: typeof leaf.reason === 'string' ? leaf.reason : null,
      personal: isEnvelope(leaf.personal) ? leaf.personal : null,
      binding: { action: typeof leaf.action === 'string' ? leaf.action : row.action, messageId: typeof leaf.messageId === 'string' ? leaf.messageId : null },
      source: stringOr(details.source),
      serviceAccountId: stringOr(details.serviceAccountId),
      details,
    };
  } catch {
    return { hasContent: row.dataKeyId !== null, clearReason: null, personal: null, binding, source: null, serviceAccountId: null, details: {} };
  }
}

/** An entry's personal data as the viewer gets it (docs/audit-log.md, "Personal data"). */
export interface OpenedPersonal {
  state: AuditEntryView['personalData'];
  reason: string | null;
  details: Record<string, unknown>;
}

/** Service account names and the chat systems of external messages (modules/service-accounts/service-account-names.ts). */
export interface EntryIntegration {
  serviceAccounts: Map<string, string>;
  sources: Map<string, string>;
}

export function toEntryView(
  row: AuditEntryColumns,
  summary: LeafSummary,
  people: Map<string, NonNullable<Person>>,
  personal: OpenedPersonal,
  integration: EntryIntegration = { serviceAccounts: new Map(), sources: new Map() },
): AuditEntryView {
  const serviceAccountName = summary.serviceAccountId ? integration.serviceAccounts.get(summary.serviceAccountId) : undefined;
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
    reason: personal.reason,
    hasContent: summary.hasContent,
    personalData: personal.state,
    leafHash: Buffer.from(row.leafHash).toString('base64'),
    // An entry about a chat system's message (a recall, a content view) names its source, as the list's `source` filter matches it.
    source: summary.source ?? (row.messageId ? (integration.sources.get(row.messageId) ?? null) : null),
    serviceAccount: summary.serviceAccountId && serviceAccountName !== undefined ? { id: summary.serviceAccountId, name: serviceAccountName } : null,
    subject: row.subjectUserId ? (people.get(row.subjectUserId) ?? null) : null,
    ...abridgedDetails(summary.details),
  };
}

/**
 * An entry's details as a page of the trail carries them: a retention run's thousands of key ids
 * would outweigh the page, so each list keeps its first items and the full length is told apart.
 */
export function abridgedDetails(details: Record<string, unknown>): Pick<AuditEntryView, 'details' | 'abridged'> {
  const abridged: Record<string, number> = {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (Array.isArray(value) && value.length > MAX_LISTED_DETAIL_ITEMS) {
      kept[key] = value.slice(0, MAX_LISTED_DETAIL_ITEMS);
      abridged[key] = value.length;
    } else kept[key] = value;
  }
  return { details: kept, abridged };
}

/**
 * Entries that name a legal hold's matter or whom it covers. An ERASURE_REFUSED entry is one of
 * them: it quotes the matters, and its subject is, by the refusal, someone a hold covers.
 */
const HOLD_CONFIDENTIAL_ACTIONS: ReadonlySet<AuditAction> = new Set(['LEGAL_HOLD_PLACED', 'LEGAL_HOLD_RELEASED', 'ERASURE_REFUSED']);

export const isHoldConfidential = (action: string) => HOLD_CONFIDENTIAL_ACTIONS.has(action as AuditAction);

/**
 * What someone who may not read legal holds sees of a hold-confidential entry: that it happened,
 * when and by whom, and a hold's scope; not its matter, its subject, its conversation, the quoted
 * matters or the leaf that carries them all (docs/architecture.md, "Who can do what").
 */
export function withoutHoldSecrets<T extends AuditEntryView>(view: T): T {
  if (!isHoldConfidential(view.action)) return view;
  const scope = view.details.scope;
  const redacted = {
    ...view,
    subjectUserId: null,
    subject: null,
    conversationId: null,
    reason: null,
    personalData: null,
    details: scope === undefined ? {} : { scope },
    abridged: {},
  };
  if ('leaf' in view) Object.assign(redacted, { leaf: null });
  if ('conversation' in view) Object.assign(redacted, { conversation: null });
  return redacted;
}
