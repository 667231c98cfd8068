import type { LegalHoldCoverageReason } from '@retract/contracts';
import type { LegalHold, Tx } from '@retract/db';

export interface HoldCoverage {
  hold: LegalHold;
  reason: LegalHoldCoverageReason;
}

/**
 * Active holds that cover a subject's sealed content (all of it, or only what one data key seals),
 * newest first, each with why: a hold on the whole tenant (ORGANISATION); a USER hold on them (PERSON);
 * a CONVERSATION hold on a conversation holding their content (CONVERSATION); a USER hold on someone
 * who is a member of a conversation holding their content (RECEIVED), because a hold on a person
 * covers what others sent them too. Data keys are per sender and month, so the sender's key cannot
 * be shredded without destroying what the held person received (docs/architecture.md, "Who can do what").
 */
export async function holdCoverage(tx: Tx, tenantId: string, subjectUserId: string, dataKeyId?: string): Promise<HoldCoverage[]> {
  const active = await tx.legalHold.findMany({ where: { tenantId, releasedAt: null }, orderBy: { placedAt: 'desc' } });
  const heldPeople = active.filter((hold) => hold.scope === 'USER' && hold.subjectUserId !== subjectUserId).map((hold) => hold.subjectUserId!);
  const memberships = heldPeople.length
    ? await tx.conversationMember.findMany({ where: { tenantId, userId: { in: heldPeople } }, select: { conversationId: true, userId: true } })
    : [];
  const candidates = [
    ...active.filter((hold) => hold.scope === 'CONVERSATION').map((hold) => hold.conversationId!),
    ...memberships.map((member) => member.conversationId),
  ];
  const heldConversations = candidates.length
    ? new Set(
        (
          await tx.auditEntry.findMany({
            where: { tenantId, subjectUserId, dataKeyId: dataKeyId ?? { not: null }, conversationId: { in: [...new Set(candidates)] } },
            select: { conversationId: true },
            distinct: ['conversationId'],
          })
        ).map((row) => row.conversationId),
      )
    : new Set<string | null>();
  const receivedByHeldPerson = (hold: LegalHold) =>
    memberships.some((member) => member.userId === hold.subjectUserId && heldConversations.has(member.conversationId));
  const reasonFor = (hold: LegalHold): LegalHoldCoverageReason | null => {
    if (hold.scope === 'TENANT') return 'ORGANISATION';
    if (hold.scope === 'CONVERSATION') return heldConversations.has(hold.conversationId) ? 'CONVERSATION' : null;
    if (hold.subjectUserId === subjectUserId) return 'PERSON';
    return receivedByHeldPerson(hold) ? 'RECEIVED' : null;
  };
  return active.flatMap((hold) => {
    const reason = reasonFor(hold);
    return reason ? [{ hold, reason }] : [];
  });
}
