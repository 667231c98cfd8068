import { Injectable } from '@nestjs/common';
import type { Role } from '@retract/contracts';
import type { TenantScope } from '@retract/db';
import { TenantDb } from '../database/database.module';

export interface SessionUser {
  userId: string;
  email: string;
  displayName: string;
  roles: Role[];
  locale: string;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly tenantDb: TenantDb) {}

  create(scope: TenantScope, userId: string, ttlSeconds: number): Promise<{ id: string }> {
    return this.tenantDb.run(scope, (tx) =>
      tx.session.create({ data: { tenantId: scope.tenantId, userId, expiresAt: new Date(Date.now() + ttlSeconds * 1000) }, select: { id: true } }),
    );
  }

  /** The session's user when the session is live and the user active; read fresh on every request. */
  async findLive(scope: TenantScope, sessionId: string, userId: string): Promise<SessionUser | null> {
    return this.tenantDb.run(scope, async (tx) => {
      const session = await tx.session.findFirst({
        where: { tenantId: scope.tenantId, id: sessionId, userId, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true },
      });
      if (!session) return null;
      const user = await tx.user.findFirst({
        where: { tenantId: scope.tenantId, id: userId, active: true },
        select: { id: true, email: true, displayName: true, roles: true, locale: true },
      });
      return user ? { userId: user.id, email: user.email, displayName: user.displayName, roles: user.roles, locale: user.locale } : null;
    });
  }

  revoke(scope: TenantScope, sessionId: string): Promise<unknown> {
    return this.tenantDb.run(scope, (tx) =>
      tx.session.updateMany({ where: { tenantId: scope.tenantId, id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } }),
    );
  }
}
