import type { Tx } from '@retract/db';

/**
 * Erasure of a person (docs/integration.md, "People and conversations"): what Retract keeps of them
 * for a chat system goes too. Their mapping keeps its row (the person's entries still belong to the
 * chat system, and the audit list's source filter still finds them) but loses the chat system's id,
 * and the stored first answers of POST /recalls about their messages (notices with their name) are
 * removed. Inside the erasure's transaction.
 */
export async function forgetChatIdentity(tx: Tx, tenantId: string, userId: string): Promise<{ mappings: number; storedAnswers: number }> {
  const mappings = await tx.$executeRaw`
    UPDATE external_people SET external_id = 'erased:' || user_id::text
     WHERE tenant_id = ${tenantId}::uuid AND user_id = ${userId}::uuid AND external_id <> 'erased:' || user_id::text`;
  // The person sent the message (subject) or recalled it (actor).
  const storedAnswers = await tx.$executeRaw`
    DELETE FROM idempotency_keys
     WHERE tenant_id = ${tenantId}::uuid
       AND message_id IN (SELECT e.message_id FROM audit_entries e
                           WHERE e.tenant_id = ${tenantId}::uuid AND e.message_id IS NOT NULL
                             AND (e.subject_user_id = ${userId}::uuid OR e.actor_id = ${userId}::uuid))`;
  return { mappings, storedAnswers };
}
