import type { ConversationKind, ExternalRef, Locale } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import { randomUUID } from 'node:crypto';

/*
 * The mapping of a chat system's people and conversations to Retract's own (docs/integration.md,
 * "People and conversations"). People are login-less users: no password, no role, a placeholder
 * email until the directory gives one. Lookups take no lock; creation serialises on an advisory
 * lock per external id, so two first uses of one person create one user.
 */

/** The placeholder email of a person the directory has not named (`.invalid` never resolves, RFC 2606). */
export const placeholderEmail = (userId: string) => `${userId}@external.invalid`;
/** The chat system's id stands for the name until the directory gives one (at most 120 characters, as names are). */
export const placeholderName = (ref: ExternalRef) => ref.externalId.slice(0, 120);

export interface ExternalPerson {
  userId: string;
  displayName: string;
  email: string;
  locale: Locale;
  erased: boolean;
}

export interface ExternalConversation {
  id: string;
  kind: ConversationKind;
}

const refKey = (kind: string, tenantId: string, ref: ExternalRef) => `external-${kind}:${tenantId}:${ref.source}:${ref.externalId}`;

/** Advisory locks on external ids, taken in one global order (people sorted, then the conversation, then the message). */
export async function lockExternalRef(tx: SqlTx, kind: 'person' | 'conversation' | 'message', tenantId: string, ref: ExternalRef): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${refKey(kind, tenantId, ref)}, 0))`;
}

export const sameRef = (a: ExternalRef, b: ExternalRef) => a.source === b.source && a.externalId === b.externalId;

export const compareRefs = (a: ExternalRef, b: ExternalRef) =>
  a.source === b.source ? (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0) : a.source < b.source ? -1 : 1;

export async function findPerson(tx: SqlTx, tenantId: string, ref: ExternalRef): Promise<ExternalPerson | null> {
  const [row] = await tx.$queryRaw<{ user_id: string; display_name: string; email: string; locale: Locale; erased: boolean }[]>`
    SELECT p.user_id, u.display_name, u.email, u.locale, u.erased_at IS NOT NULL AS erased
      FROM external_people p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id
     WHERE p.tenant_id = ${tenantId}::uuid AND p.source = ${ref.source} AND p.external_id = ${ref.externalId}`;
  return row ? { userId: row.user_id, displayName: row.display_name, email: row.email, locale: row.locale, erased: row.erased } : null;
}

/** The person, created (login-less, in the organisation's locale) when this is the first use. `created` says which. */
export async function ensurePerson(tx: SqlTx, tenantId: string, ref: ExternalRef): Promise<ExternalPerson & { created: boolean }> {
  const found = await findPerson(tx, tenantId, ref);
  if (found) return { ...found, created: false };
  await lockExternalRef(tx, 'person', tenantId, ref);
  const raced = await findPerson(tx, tenantId, ref);
  if (raced) return { ...raced, created: false };
  const userId = randomUUID();
  const displayName = placeholderName(ref);
  const [row] = await tx.$queryRaw<{ locale: Locale }[]>`
    INSERT INTO users (tenant_id, id, email, display_name, password_hash, roles, locale)
    SELECT ${tenantId}::uuid, ${userId}::uuid, ${placeholderEmail(userId)}, ${displayName}, NULL, '{}'::user_role[], t.locale
      FROM tenants t WHERE t.id = ${tenantId}::uuid
    RETURNING locale`;
  await tx.$executeRaw`
    INSERT INTO external_people (tenant_id, source, external_id, user_id) VALUES (${tenantId}::uuid, ${ref.source}, ${ref.externalId}, ${userId}::uuid)`;
  return { userId, displayName, email: placeholderEmail(userId), locale: row.locale, erased: false, created: true };
}

export async function findConversation(tx: SqlTx, tenantId: string, ref: ExternalRef): Promise<ExternalConversation | null> {
  const [row] = await tx.$queryRaw<{ id: string; kind: ConversationKind }[]>`
    SELECT c.id, c.kind::text AS kind
      FROM external_conversations x JOIN conversations c ON c.tenant_id = x.tenant_id AND c.id = x.conversation_id
     WHERE x.tenant_id = ${tenantId}::uuid AND x.source = ${ref.source} AND x.external_id = ${ref.externalId}`;
  return row ?? null;
}

/**
 * The conversation, created on first use; its kind follows what the chat system says now (a
 * direct chat turned into a group is judged as a group from then on). The people named are
 * added as members, so legal holds on them reach it (docs/architecture.md, "A USER hold").
 */
export async function ensureConversation(
  tx: SqlTx,
  tenantId: string,
  ref: ExternalRef & { kind: ConversationKind },
  memberIds: readonly string[],
): Promise<ExternalConversation> {
  let conversation = await findConversation(tx, tenantId, ref);
  if (!conversation) {
    await lockExternalRef(tx, 'conversation', tenantId, ref);
    conversation = await findConversation(tx, tenantId, ref);
  }
  if (!conversation) {
    const id = randomUUID();
    await tx.$executeRaw`
      INSERT INTO conversations (tenant_id, id, kind, title, created_by) VALUES (${tenantId}::uuid, ${id}::uuid, ${ref.kind}::conversation_kind, NULL, ${memberIds[0]}::uuid)`;
    await tx.$executeRaw`
      INSERT INTO external_conversations (tenant_id, source, external_id, conversation_id) VALUES (${tenantId}::uuid, ${ref.source}, ${ref.externalId}, ${id}::uuid)`;
    conversation = { id, kind: ref.kind };
  } else if (conversation.kind !== ref.kind) {
    await tx.$executeRaw`UPDATE conversations SET kind = ${ref.kind}::conversation_kind WHERE tenant_id = ${tenantId}::uuid AND id = ${conversation.id}::uuid`;
    conversation = { id: conversation.id, kind: ref.kind };
  }
  await tx.$executeRaw`
    INSERT INTO conversation_members (tenant_id, conversation_id, user_id)
    SELECT ${tenantId}::uuid, ${conversation.id}::uuid, member FROM unnest(${[...new Set(memberIds)]}::uuid[]) AS member
    ON CONFLICT DO NOTHING`;
  return conversation;
}
