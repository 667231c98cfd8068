import type { ExternalMessage, ExternalRef, Locale } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import type { RecentRecalls } from '@retract/recall-policy';
import { HOUR_MS } from '../recall/recall-store';
import type { ExternalConversation, ExternalPerson } from './external-directory';
import type { ExternalMessageRow } from './external-messages';

/** What Retract knows of a decision's message, its sender, the actor and the conversation. */
export interface KnownDecisionFacts {
  sender: ExternalPerson | null;
  actor: ExternalPerson | null;
  conversation: ExternalConversation | null;
  message: ExternalMessageRow | null;
  /** The actor's recalls through chat systems in the hour before `now` (none when the actor is unknown). */
  recent: RecentRecalls;
}

interface PersonJson {
  user_id: string;
  display_name: string;
  email: string;
  locale: Locale;
  erased: boolean;
}

interface FactsRow {
  sender: PersonJson | null;
  actor: PersonJson | null;
  conversation: ExternalConversation | null;
  message: { id: string; first_seen_at: string; recalled_at: string | null } | null;
  recent_count: bigint;
  recent_oldest: Date | null;
}

const person = (json: PersonJson | null): ExternalPerson | null =>
  json && { userId: json.user_id, displayName: json.display_name, email: json.email, locale: json.locale, erased: json.erased };

/**
 * Everything a decision reads, in one statement: the lookups of findPerson (sender and actor),
 * findConversation, findExternalMessage and recentExternalRecalls, each the same query as there,
 * so a decision costs one round trip to the database instead of five. Without a lock: when the
 * policy limits recalls per hour the caller counts again under the actor's lock.
 */
export async function readDecisionFacts(tx: SqlTx, tenantId: string, message: ExternalMessage, actor: ExternalRef, now: Date): Promise<KnownDecisionFacts> {
  const [row] = await tx.$queryRaw<FactsRow[]>`
    WITH sender AS (
      SELECT p.user_id, u.display_name, u.email, u.locale, u.erased_at IS NOT NULL AS erased
        FROM external_people p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id
       WHERE p.tenant_id = ${tenantId}::uuid AND p.source = ${message.sender.source} AND p.external_id = ${message.sender.externalId}
    ), actor AS (
      SELECT p.user_id, u.display_name, u.email, u.locale, u.erased_at IS NOT NULL AS erased
        FROM external_people p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id
       WHERE p.tenant_id = ${tenantId}::uuid AND p.source = ${actor.source} AND p.external_id = ${actor.externalId}
    ), conversation AS (
      SELECT c.id, c.kind::text AS kind
        FROM external_conversations x JOIN conversations c ON c.tenant_id = x.tenant_id AND c.id = x.conversation_id
       WHERE x.tenant_id = ${tenantId}::uuid AND x.source = ${message.conversation.source} AND x.external_id = ${message.conversation.externalId}
    ), message AS (
      SELECT id, first_seen_at, recalled_at FROM external_messages
       WHERE tenant_id = ${tenantId}::uuid AND source = ${message.source} AND external_id = ${message.externalId}
    )
    SELECT (SELECT to_jsonb(s) FROM sender s) AS sender,
           (SELECT to_jsonb(a) FROM actor a) AS actor,
           (SELECT to_jsonb(c) FROM conversation c) AS conversation,
           (SELECT to_jsonb(m) FROM message m) AS message,
           r.count AS recent_count, r.oldest AS recent_oldest
      FROM (SELECT count(*)::bigint AS count, min(e.recalled_at) AS oldest FROM external_messages e
             WHERE e.tenant_id = ${tenantId}::uuid AND e.recalled_by = (SELECT user_id FROM actor)
               AND e.recalled_at > ${new Date(now.getTime() - HOUR_MS)} AND e.recalled_at <= ${now}) AS r`;
  const known = row.message;
  return {
    sender: person(row.sender),
    actor: person(row.actor),
    conversation: row.conversation,
    message: known && { id: known.id, firstSeenAt: new Date(known.first_seen_at), recalledAt: known.recalled_at === null ? null : new Date(known.recalled_at) },
    recent: { count: Number(row.recent_count), oldestAt: row.recent_oldest },
  };
}
