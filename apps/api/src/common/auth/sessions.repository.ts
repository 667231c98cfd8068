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
  /** An administrator reset the password: only changing it is allowed. */
  mustChangePassword: boolean;
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
      const [row] = await tx.$queryRaw<{ id: string; email: string; display_name: string; roles: Role[]; locale: string; must_change_password: boolean }[]>`
        SELECT u.id, u.email, u.display_name, u.roles::text[] AS roles, u.locale, u.must_change_password
          FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
         WHERE s.tenant_id = ${scope.tenantId}::uuid AND s.id = ${sessionId}::uuid AND s.user_id = ${userId}::uuid
           AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`;
      return row
        ? {
            userId: row.id,
            email: row.email,
            displayName: row.display_name,
            roles: row.roles,
            locale: row.locale,
            mustChangePassword: row.must_change_password,
          }
        : null;
    });
  }

  revoke(scope: TenantScope, sessionId: string): Promise<unknown> {
    return this.tenantDb.run(scope, (tx) =>
      tx.session.updateMany({ where: { tenantId: scope.tenantId, id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } }),
    );
  }
}
