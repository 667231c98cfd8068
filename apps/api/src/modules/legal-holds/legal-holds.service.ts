import { Injectable } from '@nestjs/common';
import { MAX_COVERING_HOLDS, MAX_LEGAL_HOLDS_LISTED, type LegalHoldCoverage, type PlaceLegalHoldRequest } from '@retract/contracts';
import type { LegalHold, Tx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { conflict, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { peopleById } from '../audit/personal-data';
import { holdCoverage } from './legal-hold-coverage';

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

/** The active holds that cover a subject's sealed content (see holdCoverage), for erasure and retention. */
export async function holdsCoveringSubject(tx: Tx, tenantId: string, subjectUserId: string, dataKeyId?: string): Promise<LegalHold[]> {
  return (await holdCoverage(tx, tenantId, subjectUserId, dataKeyId)).map((covering) => covering.hold);
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
        take: MAX_LEGAL_HOLDS_LISTED,
      });
      return { items: holds.map(toHoldView) };
    });
  }

  /** Which active holds cover a person, and why: what the console shows before an erasure is asked for. */
  coverage(principal: AuthenticatedPrincipal, subjectUserId: string): Promise<LegalHoldCoverage> {
    const { tenantId } = principal;
    return this.tenantDb.run(principal, async (tx) => {
      if (!(await tx.user.findFirst({ where: { tenantId, id: subjectUserId }, select: { id: true } }))) throw notFound('user');
      const covering = (await holdCoverage(tx, tenantId, subjectUserId)).slice(0, MAX_COVERING_HOLDS);
      const people = await peopleById(tx, tenantId, [subjectUserId, ...covering.map(({ hold }) => hold.subjectUserId)]);
      const personOf = (id: string | null) => (id ? (people.get(id) ?? null) : null);
      return {
        subjectUserId,
        person: personOf(subjectUserId),
        held: covering.length > 0,
        holds: covering.map(({ hold, reason }) => ({ reason, hold: toHoldView(hold), heldPerson: personOf(hold.subjectUserId) })),
      };
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
