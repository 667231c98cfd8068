import { Injectable } from '@nestjs/common';
import type { RoleGrantList, RoleGrantView } from '@retract/contracts';
import type { TenantScope, Tx, UserRole } from '@retract/db';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, conflict, forbidden, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';

/** Roles that a second person must approve before they take effect (docs/architecture.md, "Who can do what"). */
export const ROLES_NEEDING_APPROVAL: readonly UserRole[] = ['COMPLIANCE'];

type Actor = TenantScope & { userId: string };

/**
 * Approving a grant for someone who still signs in with the password an administrator set would hand
 * the role to an account that administrator holds: the grantee chooses their own first (docs/architecture.md).
 */
async function assertOwnPassword(tx: Tx, tenantId: string, userId: string): Promise<void> {
  const grantee = await tx.user.findFirst({ where: { tenantId, id: userId }, select: { mustChangePassword: true } });
  if (!grantee?.mustChangePassword) return;
  throw new ProblemException({
    status: 409,
    detail:
      'The person still signs in with the password an administrator set for them. Approve once they have signed in and chosen their own password; refusing is possible now.',
    extensions: { granteeMustChangePassword: true },
  });
}

/**
 * COMPLIANCE asked for by an administrator is a pending grant, with none of its rights, until
 * another compliance officer approves it. Neither the grantee nor the requester can decide it.
 */
@Injectable()
export class RoleGrants {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
  ) {}

  /** Inside the caller's transaction: one pending grant per user and role, audited. */
  async request(tx: Tx, actor: Actor, userId: string, role: UserRole): Promise<void> {
    const open = await tx.roleGrant.findFirst({ where: { tenantId: actor.tenantId, userId, role, state: 'PENDING' }, select: { id: true } });
    if (open) return;
    const grant = await tx.roleGrant.create({ data: { tenantId: actor.tenantId, userId, role, requestedBy: actor.userId } });
    await this.log.append(tx, actor.tenantId, {
      action: 'ROLE_GRANT_REQUESTED',
      actorId: actor.userId,
      subjectUserId: userId,
      details: { grantId: grant.id, role },
    });
  }

  /** Inside the caller's transaction: pending grants of roles the user no longer should get end at once, audited. */
  async revokePending(tx: Tx, actor: Actor, userId: string, keep: readonly UserRole[]): Promise<void> {
    const open = await tx.roleGrant.findMany({ where: { tenantId: actor.tenantId, userId, state: 'PENDING', role: { notIn: [...keep] } } });
    for (const grant of open) {
      await tx.roleGrant.update({
        where: { tenantId_id: { tenantId: actor.tenantId, id: grant.id } },
        data: { state: 'REVOKED', decidedBy: actor.userId, decidedAt: new Date() },
      });
      await this.log.append(tx, actor.tenantId, {
        action: 'ROLE_GRANT_REVOKED',
        actorId: actor.userId,
        subjectUserId: userId,
        details: { grantId: grant.id, role: grant.role },
      });
    }
  }

  async hasPending(tx: Tx, tenantId: string, userId: string): Promise<boolean> {
    return (await tx.roleGrant.count({ where: { tenantId, userId, state: 'PENDING' } })) > 0;
  }

  /** The roles each of these users waits for, by user id (absent: none). */
  async pendingRoles(tx: Tx, tenantId: string, userIds: readonly string[]): Promise<Map<string, UserRole[]>> {
    const open = await tx.roleGrant.findMany({
      where: { tenantId, userId: { in: [...userIds] }, state: 'PENDING' },
      select: { userId: true, role: true },
      orderBy: { role: 'asc' },
    });
    const byUser = new Map<string, UserRole[]>();
    for (const grant of open) byUser.set(grant.userId, [...(byUser.get(grant.userId) ?? []), grant.role]);
    return byUser;
  }

  pending(scope: TenantScope): Promise<RoleGrantList> {
    return this.tenantDb.run(scope, async (tx) => {
      const grants = await tx.roleGrant.findMany({ where: { tenantId: scope.tenantId, state: 'PENDING' }, orderBy: { requestedAt: 'asc' }, take: 1000 });
      const people = await tx.user.findMany({
        where: { tenantId: scope.tenantId, id: { in: [...new Set(grants.flatMap((grant) => [grant.userId, grant.requestedBy]))] } },
        select: { id: true, email: true, displayName: true, mustChangePassword: true },
      });
      const person = (id: string) => {
        const found = people.find((p) => p.id === id);
        return { id, email: found?.email ?? '', displayName: found?.displayName ?? '' };
      };
      const items: RoleGrantView[] = grants.map((grant) => ({
        id: grant.id,
        role: grant.role,
        state: grant.state,
        user: person(grant.userId),
        requestedBy: person(grant.requestedBy),
        requestedAt: grant.requestedAt.toISOString(),
        granteeMustChangePassword: people.find((p) => p.id === grant.userId)?.mustChangePassword ?? false,
      }));
      return { items };
    });
  }

  approve(actor: Actor, id: string): Promise<void> {
    return this.decide(actor, id, 'APPROVED');
  }

  refuse(actor: Actor, id: string): Promise<void> {
    return this.decide(actor, id, 'REFUSED');
  }

  private decide(actor: Actor, id: string, state: 'APPROVED' | 'REFUSED'): Promise<void> {
    return this.tenantDb.run(actor, async (tx) => {
      const grant = await tx.roleGrant.findFirst({ where: { tenantId: actor.tenantId, id } });
      if (!grant) throw notFound('role grant');
      if (grant.userId === actor.userId || grant.requestedBy === actor.userId) {
        throw forbidden('A second person decides a role grant: not the person it is for, nor the one who asked for it.');
      }
      if (state === 'APPROVED' && grant.state === 'PENDING') await assertOwnPassword(tx, actor.tenantId, grant.userId);
      // Only the first decision counts when two officers decide at once.
      const decided = await tx.roleGrant.updateMany({
        where: { tenantId: actor.tenantId, id, state: 'PENDING' },
        data: { state, decidedBy: actor.userId, decidedAt: new Date() },
      });
      if (decided.count === 0) throw conflict('This role grant has already been decided or revoked.');
      if (state === 'APPROVED') {
        const user = await tx.user.findFirst({ where: { tenantId: actor.tenantId, id: grant.userId }, select: { roles: true } });
        if (!user) throw notFound('user');
        if (!user.roles.includes(grant.role)) {
          await tx.user.update({
            where: { tenantId_id: { tenantId: actor.tenantId, id: grant.userId } },
            data: { roles: [...user.roles, grant.role], updatedAt: new Date() },
          });
        }
      }
      await this.log.append(tx, actor.tenantId, {
        action: state === 'APPROVED' ? 'ROLE_GRANT_APPROVED' : 'ROLE_GRANT_REFUSED',
        actorId: actor.userId,
        subjectUserId: grant.userId,
        details: { grantId: grant.id, role: grant.role, requestedBy: grant.requestedBy },
      });
    });
  }
}
