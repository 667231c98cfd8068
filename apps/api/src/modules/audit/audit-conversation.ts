import { MAX_NAMED_CONVERSATION_MEMBERS, type AuditConversation } from '@retract/contracts';
import type { Tx } from '@retract/db';

/**
 * The conversation an entry names, as a compliance officer recognises it: its kind, title and
 * members by name (docs/audit-log.md, "Browsing"). Erased members are counted, not named.
 */
export async function auditConversation(tx: Tx, tenantId: string, conversationId: string | null): Promise<AuditConversation | null> {
  if (!conversationId) return null;
  const conversation = await tx.conversation.findFirst({ where: { tenantId, id: conversationId }, select: { id: true, kind: true, title: true } });
  if (!conversation) return null;
  const members = await tx.conversationMember.findMany({ where: { tenantId, conversationId }, select: { userId: true }, orderBy: { joinedAt: 'asc' } });
  const named = await tx.user.findMany({
    where: { tenantId, id: { in: members.map((member) => member.userId) }, erasedAt: null },
    select: { id: true, displayName: true },
  });
  const byId = new Map(named.map((user) => [user.id, user]));
  return {
    ...conversation,
    members: members
      .map((member) => byId.get(member.userId))
      .filter((user) => user !== undefined)
      .slice(0, MAX_NAMED_CONVERSATION_MEMBERS),
    memberCount: members.length,
  };
}
