import { createParamDecorator, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { serviceAbilityFor, type AppAbility } from '@retract/authz';
import { SERVICE_TOKEN_PREFIX } from '@retract/contracts';
import { sqlAutocommit, type SqlPool } from '@retract/db';
import { createHash, randomBytes } from 'node:crypto';
import { SQL_POOL } from '../database/database.tokens';

/** A chat system calling through a service account: its organisation and scopes, no user and no session. */
export interface ServicePrincipal {
  serviceAccountId: string;
  tenantId: string;
  name: string;
  scopes: string[];
  ability: AppAbility;
}

export interface RequestWithServicePrincipal {
  service?: ServicePrincipal;
}

/** 32 random bytes: 256 bits, base64url after the prefix. */
export function newServiceToken(): string {
  return `${SERVICE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export const isServiceToken = (token: string) => token.startsWith(SERVICE_TOKEN_PREFIX);

export const serviceTokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Finds the live account a service token belongs to. Tokens are 256-bit random values, so their
 * SHA-256 is a safe stored form (no slow hash needed) and the lookup by hash is the comparison: an
 * index probe on a digest the caller cannot steer tells nothing about any stored token. Every
 * request reads the account, so a revoked token is refused on its very next request.
 */
@Injectable()
export class ServiceAccountTokens {
  constructor(@Inject(SQL_POOL) private readonly pool: SqlPool) {}

  async authenticate(token: string): Promise<ServicePrincipal | null> {
    if (!isServiceToken(token) || token.length > 100) return null;
    const rows = await sqlAutocommit(this.pool).$queryRaw<{ tenant_id: string; id: string; name: string; scopes: string[] }[]>`
      SELECT tenant_id, id, name, scopes FROM service_account_enter(${serviceTokenHash(token)})`;
    const [row] = rows;
    if (!row) return null;
    const principal = { serviceAccountId: row.id, tenantId: row.tenant_id, scopes: row.scopes };
    return { ...principal, name: row.name, ability: serviceAbilityFor(principal) };
  }
}

/** The calling service account, as established by the auth guard from its token. */
export const CurrentServiceAccount = createParamDecorator((_data: unknown, context: ExecutionContext): ServicePrincipal => {
  const service = context.switchToHttp().getRequest<RequestWithServicePrincipal>().service;
  if (!service) throw new Error('route reached without a service account: its Endpoint access must name a service scope');
  return service;
});
