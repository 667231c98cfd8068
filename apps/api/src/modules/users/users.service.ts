import { Injectable } from '@nestjs/common';
import type { JsonValue } from '@retract/audit-log';
import {
  isStorableText,
  type AuditAction,
  type ChangePasswordRequest,
  type CreateUserRequest,
  type UpdateUserRequest,
  type UserListQuery,
} from '@retract/contracts';
import type { TenantScope, UserRole } from '@retract/db';
import { TenantDb } from '../../common/database/database.module';
import { invalidCursor } from '../../common/endpoint/keyset-cursor';
import { ProblemException, conflict, forbidden, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { ROLES_NEEDING_APPROVAL, RoleGrants } from '../role-grants/role-grants.service';
import { assertAnotherActive } from './last-holders';
import { toManagedUserView } from './user-view';

function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const email = Buffer.from(cursor, 'base64url').toString('utf8');
  // Only a cursor this API returned (an email) is compared with emails; "AA" would decode to NUL.
  if (!isStorableText(email)) throw invalidCursor();
  return email;
}
const encodeCursor = (email: string) => Buffer.from(email, 'utf8').toString('base64url');

/** Roles asked for split into those given at once and those that wait for a second person, unless already held. */
function splitRoles(asked: readonly UserRole[], held: readonly UserRole[]) {
  const unique = [...new Set(asked)];
  const needApproval = unique.filter((role) => ROLES_NEEDING_APPROVAL.includes(role) && !held.includes(role));
  return { now: unique.filter((role) => !needApproval.includes(role)), needApproval };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly grants: RoleGrants,
  ) {}

  list(scope: TenantScope, query: UserListQuery) {
    const after = decodeCursor(query.cursor);
    return this.tenantDb.run(scope, async (tx) => {
      const rows = await tx.user.findMany({
        where: {
          tenantId: scope.tenantId,
          ...(after ? { email: { gt: after } } : {}),
          ...(query.q ? { OR: [{ email: { contains: query.q, mode: 'insensitive' } }, { displayName: { contains: query.q, mode: 'insensitive' } }] } : {}),
        },
        orderBy: { email: 'asc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const pending = await this.grants.pendingRoles(
        tx,
        scope.tenantId,
        page.map((user) => user.id),
      );
      return {
        items: page.map((user) => toManagedUserView(user, pending.get(user.id) ?? [])),
        nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].email) : null,
      };
    });
  }

  async create(scope: TenantScope & { userId: string }, request: CreateUserRequest) {
    const passwordHash = await hashPassword(request.password);
    const email = request.email.toLowerCase();
    return this.tenantDb.run(scope, async (tx) => {
      const asked = splitRoles(request.roles, []);
      const existing = await tx.user.findFirst({ where: { tenantId: scope.tenantId, email }, select: { id: true } });
      if (existing) throw conflict('A user with this email already exists in the organisation.');
      const tenant = await tx.tenant.findFirst({ where: { id: scope.tenantId }, select: { locale: true } });
      const user = await tx.user.create({
        data: {
          tenantId: scope.tenantId,
          email,
          displayName: request.displayName,
          roles: asked.now,
          locale: request.locale ?? tenant?.locale ?? 'en',
          passwordHash,
          // The administrator chose this password: the user replaces it at the first sign-in.
          mustChangePassword: true,
        },
      });
      await this.log.append(tx, scope.tenantId, {
        action: 'USER_CREATED',
        actorId: scope.userId,
        subjectUserId: user.id,
        details: { roles: user.roles, locale: user.locale },
        personal: { email: user.email },
      });
      for (const role of asked.needApproval) await this.grants.request(tx, scope, user.id, role);
      return toManagedUserView(user, asked.needApproval);
    });
  }

  async update(scope: TenantScope & { userId: string }, id: string, request: UpdateUserRequest) {
    const passwordHash = request.password ? await hashPassword(request.password) : undefined;
    if (request.roles && id === scope.userId) throw forbidden('Nobody changes their own roles; another administrator does.');
    return this.tenantDb.run(scope, async (tx) => {
      const user = await tx.user.findFirst({ where: { tenantId: scope.tenantId, id } });
      if (!user) throw notFound('user');
      if (user.erasedAt) throw conflict('This person was erased; their account cannot change.');
      const asked = request.roles ? splitRoles(request.roles, user.roles) : { now: user.roles, needApproval: [] };
      // Nor of one about to become one: the administrator would hold the account the approval is for.
      if (passwordHash && (user.roles.includes('COMPLIANCE') || asked.needApproval.length > 0 || (await this.grants.hasPending(tx, scope.tenantId, id)))) {
        throw forbidden('An administrator cannot set the password of a compliance officer, or of one awaiting approval; they change it themselves.');
      }
      const roles = asked.now;
      const active = request.active ?? user.active;
      // The last administrator, and the last compliance officer (who approves the next one), stay.
      for (const role of ['ADMIN', 'COMPLIANCE'] as const) {
        if (user.roles.includes(role) && user.active && (!roles.includes(role) || !active)) await assertAnotherActive(tx, scope.tenantId, role, id);
      }
      const updated = await tx.user.update({
        where: { tenantId_id: { tenantId: scope.tenantId, id } },
        data: {
          displayName: request.displayName,
          locale: request.locale,
          roles,
          active,
          passwordHash,
          // A reset password is known to the administrator: the user must choose their own at the next login.
          ...(passwordHash ? { mustChangePassword: true } : {}),
          updatedAt: new Date(),
        },
      });
      if (request.roles) {
        await this.grants.revokePending(tx, scope, id, request.roles);
        for (const role of asked.needApproval) await this.grants.request(tx, scope, id, role);
      }
      if ((!active && user.active) || passwordHash) {
        await tx.session.updateMany({ where: { tenantId: scope.tenantId, userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
      }
      const record = (action: AuditAction, details: Record<string, JsonValue>) =>
        this.log.append(tx, scope.tenantId, { action, actorId: scope.userId, subjectUserId: id, details });
      const sameRoles = roles.length === user.roles.length && roles.every((role) => user.roles.includes(role));
      if (!sameRoles) await record('ROLE_CHANGED', { from: user.roles, to: roles });
      if (active !== user.active) await record(active ? 'USER_REACTIVATED' : 'USER_DEACTIVATED', {});
      if (passwordHash) await record('PASSWORD_CHANGED', { by: 'ADMIN_RESET' });
      const pending = await this.grants.pendingRoles(tx, scope.tenantId, [id]);
      return toManagedUserView(updated, pending.get(id) ?? []);
    });
  }

  /** A user changes their own password; their other sessions end. */
  async changeOwnPassword(principal: TenantScope & { userId: string; sessionId: string }, request: ChangePasswordRequest): Promise<void> {
    const current = await this.tenantDb.run(principal, (tx) =>
      tx.user.findFirst({ where: { tenantId: principal.tenantId, id: principal.userId }, select: { passwordHash: true } }),
    );
    if (!(await verifyPassword(current?.passwordHash, request.currentPassword))) {
      throw new ProblemException({
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'The current password is not correct.',
        errors: [{ field: 'currentPassword', message: 'is not correct', code: 'invalid' }],
      });
    }
    const passwordHash = await hashPassword(request.newPassword);
    await this.tenantDb.run(principal, async (tx) => {
      await tx.user.update({
        where: { tenantId_id: { tenantId: principal.tenantId, id: principal.userId } },
        data: { passwordHash, mustChangePassword: false, updatedAt: new Date() },
      });
      await tx.session.updateMany({
        where: { tenantId: principal.tenantId, userId: principal.userId, revokedAt: null, id: { not: principal.sessionId } },
        data: { revokedAt: new Date() },
      });
      await this.log.append(tx, principal.tenantId, {
        action: 'PASSWORD_CHANGED',
        actorId: principal.userId,
        subjectUserId: principal.userId,
        details: { by: 'SELF' },
      });
    });
  }
}
