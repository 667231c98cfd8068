import { Injectable } from '@nestjs/common';
import {
  MAX_SERVICE_ACCOUNTS,
  type CreateServiceAccountRequest,
  type CreatedServiceAccount,
  type ServiceAccountList,
  type ServiceAccountScope,
  type ServiceAccountView,
} from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { newServiceToken, serviceTokenHash } from '../../common/auth/service-accounts';
import { TenantDb } from '../../common/database/database.module';
import { conflict, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';

type Row = {
  id: string;
  name: string;
  scopes: ServiceAccountScope[];
  created_at: Date;
  created_by: string;
  creator_name: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const toView = (row: Row): ServiceAccountView => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.created_at.toISOString(),
  createdBy: row.creator_name === null ? null : { id: row.created_by, displayName: row.creator_name },
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

async function readAccounts(tx: SqlTx, tenantId: string, id?: string): Promise<Row[]> {
  return tx.$queryRaw<Row[]>`
    SELECT s.id, s.name, s.scopes, s.created_at, s.created_by, s.last_used_at, s.revoked_at,
           CASE WHEN u.erased_at IS NULL THEN u.display_name END AS creator_name
      FROM service_accounts s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.created_by
     WHERE s.tenant_id = ${tenantId}::uuid AND (${id ?? null}::uuid IS NULL OR s.id = ${id ?? null}::uuid)
     ORDER BY s.created_at, s.id`;
}

/**
 * Service accounts (ADMIN; docs/integration.md): how a chat system calls the policy service. The
 * token is answered once and kept as its SHA-256 only; revocation holds from the next request.
 * Creating and revoking are audited (SERVICE_ACCOUNT_CREATED / _REVOKED), never with the token.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  list(principal: AuthenticatedPrincipal): Promise<ServiceAccountList> {
    return this.tenantDb.sql(principal, async (tx) => ({ items: (await readAccounts(tx, principal.tenantId)).map(toView) }));
  }

  async create(principal: AuthenticatedPrincipal, request: CreateServiceAccountRequest): Promise<CreatedServiceAccount> {
    const { tenantId } = principal;
    const id = randomUUID();
    const token = newServiceToken();
    const view = await this.tenantDb.sql(principal, async (tx) => {
      // Concurrent creations count one after another, so the limit holds.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`service-accounts:${tenantId}`}, 0))`;
      const [{ count }] = await tx.$queryRaw<{ count: bigint }[]>`SELECT count(*)::bigint AS count FROM service_accounts WHERE tenant_id = ${tenantId}::uuid`;
      if (Number(count) >= MAX_SERVICE_ACCOUNTS) throw conflict(`An organisation has at most ${MAX_SERVICE_ACCOUNTS} service accounts.`);
      await tx.$executeRaw`
        INSERT INTO service_accounts (tenant_id, id, name, scopes, token_hash, created_by)
        VALUES (${tenantId}::uuid, ${id}::uuid, ${request.name}, ${request.scopes}::text[], ${serviceTokenHash(token)}, ${principal.userId}::uuid)`;
      await this.audit.append(tx, tenantId, {
        action: 'SERVICE_ACCOUNT_CREATED',
        actorId: principal.userId,
        // Like a webhook's description, the name is free text: it stays in the account, not the log.
        details: { serviceAccountId: id, scopes: request.scopes },
      });
      return toView((await readAccounts(tx, tenantId, id))[0]);
    });
    return { ...view, token };
  }

  /** Revokes at once (the next request with the token is refused); revoking a revoked account changes nothing. */
  async revoke(principal: AuthenticatedPrincipal, id: string): Promise<void> {
    const { tenantId } = principal;
    await this.tenantDb.sql(principal, async (tx) => {
      const [row] = await tx.$queryRaw<{ revoked: boolean }[]>`
        SELECT revoked_at IS NOT NULL AS revoked FROM service_accounts WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`;
      if (!row) throw notFound('service account');
      if (row.revoked) return;
      await tx.$executeRaw`
        UPDATE service_accounts SET revoked_at = now(), revoked_by = ${principal.userId}::uuid WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid`;
      await this.audit.append(tx, tenantId, { action: 'SERVICE_ACCOUNT_REVOKED', actorId: principal.userId, details: { serviceAccountId: id } });
    });
  }
}
