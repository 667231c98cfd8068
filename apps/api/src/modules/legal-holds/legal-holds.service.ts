import { Injectable } from '@nestjs/common';
import type { PlaceLegalHoldRequest } from '@retract/contracts';
import type { LegalHold, Tx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { conflict, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';

export function toHoldView(hold: LegalHold) {
  return {
    id: hold.id,
    scope: hold.scope,
    subjectUserId: hold.subjectUserId,
    conversationId: hold.conversationId,
    matter: hold.matter,
    placedBy: hold.placedBy,
    placedAt: hold.placedAt.toISOString(),
    releasedBy: hold.releasedBy,
    releasedAt: hold.releasedAt?.toISOString() ?? null,
    active: hold.releasedAt === null,
  };
}

/**
 * Active holds that cover a subject's sealed content (all of it, or only what one data key seals):
 * a hold on the whole tenant; a USER hold on them; a CONVERSATION hold on a conversation holding
 * their content; a USER hold on someone who is a member of a conversation holding their content,
 * because a hold on a person covers what others sent them too. Data keys are per sender and
 * month, so the sender's key cannot be shredded without destroying what the held person received
 * (docs/architecture.md, "Legal holds").
 */
export async function holdsCoveringSubject(tx: Tx, tenantId: string, subjectUserId: string, dataKeyId?: string): Promise<LegalHold[]> {
  const active = await tx.legalHold.findMany({ where: { tenantId, releasedAt: null } });
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
  return active.filter(
    (hold) =>
      hold.scope === 'TENANT' ||
      (hold.scope === 'USER' && (hold.subjectUserId === subjectUserId || receivedByHeldPerson(hold))) ||
      (hold.scope === 'CONVERSATION' && heldConversations.has(hold.conversationId)),
  );
}

@Injectable()
export class LegalHolds {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
  ) {}

  list(principal: AuthenticatedPrincipal, active?: boolean) {
    return this.tenantDb.run(principal, async (tx) => {
      const holds = await tx.legalHold.findMany({
        where: { tenantId: principal.tenantId, ...(active === undefined ? {} : active ? { releasedAt: null } : { releasedAt: { not: null } }) },
        orderBy: { placedAt: 'desc' },
        take: 500,
      });
      return { items: holds.map(toHoldView) };
    });
  }

  place(principal: AuthenticatedPrincipal, request: PlaceLegalHoldRequest) {
    const { tenantId } = principal;
    return this.tenantDb.run(principal, async (tx) => {
      const subjectUserId = request.scope === 'USER' ? request.subjectUserId : null;
      const conversationId = request.scope === 'CONVERSATION' ? request.conversationId : null;
      if (subjectUserId && !(await tx.user.findFirst({ where: { tenantId, id: subjectUserId }, select: { id: true } }))) throw notFound('user');
      if (conversationId && !(await tx.conversation.findFirst({ where: { tenantId, id: conversationId }, select: { id: true } })))
        throw notFound('conversation');
      await this.log.lockEvidence(tx, tenantId);
      const hold = await tx.legalHold.create({
        data: { tenantId, scope: request.scope, subjectUserId, conversationId, matter: request.matter, placedBy: principal.userId },
      });
      await this.log.append(tx, tenantId, {
        action: 'LEGAL_HOLD_PLACED',
        actorId: principal.userId,
        subjectUserId,
        conversationId,
        reason: request.matter,
        details: { holdId: hold.id, scope: request.scope },
      });
      return toHoldView(hold);
    });
  }

  release(principal: AuthenticatedPrincipal, id: string) {
    const { tenantId } = principal;
    return this.tenantDb.run(principal, async (tx) => {
      const hold = await tx.legalHold.findFirst({ where: { tenantId, id } });
      if (!hold) throw notFound('legal hold');
      await this.log.lockEvidence(tx, tenantId);
      if (hold.releasedAt) throw conflict('This legal hold was already released.');
      const released = await tx.legalHold.update({ where: { tenantId_id: { tenantId, id } }, data: { releasedAt: new Date(), releasedBy: principal.userId } });
      await this.log.append(tx, tenantId, {
        action: 'LEGAL_HOLD_RELEASED',
        actorId: principal.userId,
        subjectUserId: hold.subjectUserId,
        conversationId: hold.conversationId,
        reason: hold.matter,
        details: { holdId: hold.id, scope: hold.scope },
      });
      return toHoldView(released);
    });
  }
}
