import { Injectable } from '@nestjs/common';
import type { CreateUserRequest, UpdateUserRequest, UserListQuery } from '@retract/contracts';
import type { TenantScope, Tx, UserRole } from '@retract/db';
import { TenantDb } from '../../common/database/database.module';
import { conflict, notFound } from '../../common/problem/problem';
import { hashPassword } from '../auth/passwords';
import { toUserView } from './user-view';

const decodeCursor = (cursor?: string) => (cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined);
const encodeCursor = (email: string) => Buffer.from(email, 'utf8').toString('base64url');

@Injectable()
export class UsersService {
  constructor(private readonly tenantDb: TenantDb) {}

  list(scope: TenantScope, query: UserListQuery) {
    const after = decodeCursor(query.cursor);
    return this.tenantDb.run(scope, async (tx) => {
      const rows = await tx.user.findMany({
        where: {
          tenantId: scope.tenantId,
          ...(after ? { email: { gt: after } } : {}),
          ...(query.q
            ? { OR: [{ email: { contains: query.q, mode: 'insensitive' } }, { displayName: { contains: query.q, mode: 'insensitive' } }] }
            : {}),
        },
        orderBy: { email: 'asc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      return { items: page.map(toUserView), nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].email) : null };
    });
  }

  async create(scope: TenantScope, request: CreateUserRequest) {
    const passwordHash = await hashPassword(request.password);
    const email = request.email.toLowerCase();
    return this.tenantDb.run(scope, async (tx) => {
      const existing = await tx.user.findFirst({ where: { tenantId: scope.tenantId, email }, select: { id: true } });
      if (existing) throw conflict('A user with this email already exists in the organisation.');
      const tenant = await tx.tenant.findFirst({ where: { id: scope.tenantId }, select: { locale: true } });
      const user = await tx.user.create({
        data: {
          tenantId: scope.tenantId,
          email,
          displayName: request.displayName,
          roles: [...new Set(request.roles)] as UserRole[],
          locale: request.locale ?? tenant?.locale ?? 'en',
          passwordHash,
        },
      });
      return toUserView(user);
    });
  }

  update(scope: TenantScope & { userId: string }, id: string, request: UpdateUserRequest) {
    return this.tenantDb.run(scope, async (tx) => {
      const user = await tx.user.findFirst({ where: { tenantId: scope.tenantId, id } });
      if (!user) throw notFound('user');
      const roles = request.roles ? ([...new Set(request.roles)] as UserRole[]) : user.roles;
      const active = request.active ?? user.active;
      const losesAdmin = user.roles.includes('ADMIN') && user.active && (!roles.includes('ADMIN') || !active);
      if (losesAdmin) await this.assertAnotherActiveAdmin(tx, scope.tenantId, id);
      const updated = await tx.user.update({
        where: { tenantId_id: { tenantId: scope.tenantId, id } },
        data: { displayName: request.displayName, locale: request.locale, roles, active, updatedAt: new Date() },
      });
      if (!active && user.active) {
        await tx.session.updateMany({ where: { tenantId: scope.tenantId, userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
      }
      return toUserView(updated);
    });
  }

  private async assertAnotherActiveAdmin(tx: Tx, tenantId: string, exceptUserId: string) {
    const others = await tx.user.count({ where: { tenantId, active: true, roles: { has: 'ADMIN' }, id: { not: exceptUserId } } });
    if (others === 0) throw conflict('The organisation must keep at least one active administrator.');
  }
}
