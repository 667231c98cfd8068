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

/** Active holds that cover a subject's content: on them, on a conversation holding their recalled content, or on the whole tenant. */
export async function holdsCoveringSubject(tx: Tx, tenantId: string, subjectUserId: string): Promise<LegalHold[]> {
  const active = await tx.legalHold.findMany({ where: { tenantId, releasedAt: null } });
  const conversationIds = active.filter((hold) => hold.scope === 'CONVERSATION').map((hold) => hold.conversationId!);
  const heldConversations = conversationIds.length
    ? new Set(
        (
          await tx.auditEntry.findMany({
            where: { tenantId, subjectUserId, dataKeyId: { not: null }, conversationId: { in: conversationIds } },
            select: { conversationId: true },
            distinct: ['conversationId'],
          })
        ).map((row) => row.conversationId),
      )
    : new Set<string | null>();
  return active.filter(
    (hold) => hold.scope === 'TENANT' || (hold.scope === 'USER' && hold.subjectUserId === subjectUserId) || (hold.scope === 'CONVERSATION' && heldConversations.has(hold.conversationId)),
  );
}

@Injectable()
export class LegalHolds {
  constructor(private readonly tenantDb: TenantDb, private readonly log: AuditLog) {}

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
      if (conversationId && !(await tx.conversation.findFirst({ where: { tenantId, id: conversationId }, select: { id: true } }))) throw notFound('conversation');
      await this.log.lockEvidence(tx, tenantId);
      const hold = await tx.legalHold.create({ data: { tenantId, scope: request.scope, subjectUserId, conversationId, matter: request.matter, placedBy: principal.userId } });
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
