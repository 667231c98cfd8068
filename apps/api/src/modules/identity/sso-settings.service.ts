import { Inject, Injectable } from '@nestjs/common';
import type { GroupRoleMapping, SsoSettingsRequest, SsoSettingsView, SsoTestResult } from '@retract/contracts';
import type { Tx } from '@retract/db';
import { CONFIG, type Config } from '../../config/config';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { KEK, type KeyEncryptionKey } from '../audit/key-encryption';
import { clientSecretAad } from './client-secret-aad';
import { WebhookResolver } from '../webhooks/webhook-targets';
import { OidcProviderClient, type ProviderCredentials } from './oidc-provider-client';
import { ProviderAddressRefused, ProviderAddresses } from './provider-fetch';

/** The redirect URI to register at the provider: the console's origin, which forwards /api to the API. */
export const ssoRedirectUri = (config: Config) => `${config.CONSOLE_ORIGIN}/api/v1/auth/sso/callback`;

export interface StoredProvider extends ProviderCredentials {
  allowedDomains: string[];
  passwordLogin: boolean;
  enabled: boolean;
  /** The administrator who last set the settings: the requester of COMPLIANCE grants its mapping makes. */
  updatedBy: string;
  groupRoles: GroupRoleMapping[];
}

/**
 * An organisation's OpenID Connect provider (ADMIN; docs/identity.md). The client secret is sealed
 * under the organisation's KEK and never answered; every change is audited (SSO_CONFIGURED) without it.
 */
@Injectable()
export class SsoSettingsService {
  readonly client: OidcProviderClient;

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    @Inject(KEK) private readonly kek: KeyEncryptionKey,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    const resolver = new WebhookResolver();
    this.client = new OidcProviderClient(
      config.SSO_ALLOW_INSECURE_ISSUERS,
      new ProviderAddresses(config.SSO_ALLOWED_ISSUERS, (host) => resolver.resolve(host)),
    );
  }

  async get(principal: AuthenticatedPrincipal): Promise<SsoSettingsView> {
    return this.tenantDb.run(principal, async (tx) => {
      const view = await this.view(tx, principal.tenantId);
      if (!view) throw notFound('single sign-on configuration');
      return view;
    });
  }

  async put(principal: AuthenticatedPrincipal, request: SsoSettingsRequest): Promise<SsoSettingsView> {
    const { tenantId } = principal;
    await this.checkIssuer(request.issuer);
    return this.tenantDb.run(principal, async (tx) => {
      const current = await tx.ssoProvider.findFirst({ where: { tenantId } });
      // A new client id needs its own secret: the stored one is bound to the old id.
      if (!request.clientSecret && (!current || current.clientId !== request.clientId)) {
        throw new ProblemException({
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: 'A client secret is required when the provider is first configured or its client id changes.',
          errors: [{ field: 'clientSecret', message: 'is required', code: 'required' }],
        });
      }
      const sealed = request.clientSecret
        ? {
            clientSecretSealed: Buffer.from(this.kek.wrap(tenantId, Buffer.from(request.clientSecret, 'utf8'), clientSecretAad(tenantId, request.clientId))),
            kekId: this.kek.id,
          }
        : {};
      const fields = {
        issuer: request.issuer,
        providerName: request.providerName ?? null,
        clientId: request.clientId,
        allowedDomains: request.allowedDomains,
        passwordLogin: request.passwordLogin,
        enabled: request.enabled,
        updatedBy: principal.userId,
        updatedAt: new Date(),
      };
      if (current) await tx.ssoProvider.update({ where: { tenantId }, data: { ...fields, ...sealed } });
      else await tx.ssoProvider.create({ data: { tenantId, ...fields, clientSecretSealed: sealed.clientSecretSealed!, kekId: sealed.kekId! } });
      await tx.groupRoleMapping.deleteMany({ where: { tenantId } });
      if (request.groupRoles.length > 0) {
        await tx.groupRoleMapping.createMany({
          data: request.groupRoles.map((m) => ({ tenantId, groupName: m.group, role: m.role, createdBy: principal.userId })),
        });
      }
      await this.audit.append(tx, tenantId, {
        action: 'SSO_CONFIGURED',
        actorId: principal.userId,
        details: {
          issuer: request.issuer,
          providerName: request.providerName ?? null,
          clientId: request.clientId,
          allowedDomains: request.allowedDomains,
          passwordLogin: request.passwordLogin,
          enabled: request.enabled,
          clientSecretChanged: Boolean(request.clientSecret),
          groupRoles: request.groupRoles.map((m) => ({ group: m.group, role: m.role })),
        },
      });
      return (await this.view(tx, tenantId))!;
    });
  }

  /** An issuer on an address the server may not reach is refused when it is set (docs/identity.md, "Provider addresses"). */
  private async checkIssuer(issuer: string): Promise<void> {
    if (!this.config.SSO_ALLOW_INSECURE_ISSUERS && new URL(issuer).protocol !== 'https:') {
      throw this.issuerProblem('must use https (plain http only with SSO_ALLOW_INSECURE_ISSUERS, never in production)');
    }
    try {
      await this.client.addresses.check(new URL(issuer));
    } catch (error) {
      if (!(error instanceof ProviderAddressRefused)) throw error;
      throw this.issuerProblem(`${error.message}; an internal provider must be listed in SSO_ALLOWED_ISSUERS`);
    }
  }

  private issuerProblem(message: string): ProblemException {
    return new ProblemException({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: `The issuer is refused: ${message}.`,
      errors: [{ field: 'issuer', message, code: 'issuer_refused' }],
    });
  }

  /** Fetches discovery for the given issuer, or the configured one. */
  async test(principal: AuthenticatedPrincipal, issuer: string | undefined): Promise<SsoTestResult> {
    const target = issuer ?? (await this.tenantDb.run(principal, (tx) => tx.ssoProvider.findFirst({ where: { tenantId: principal.tenantId } })))?.issuer;
    if (!target) throw notFound('single sign-on configuration');
    return this.client.probe(target);
  }

  /** The provider with its secret unsealed, for sign-in; null when none is configured. */
  async load(tx: Tx, tenantId: string): Promise<StoredProvider | null> {
    const row = await tx.ssoProvider.findFirst({ where: { tenantId } });
    if (!row) return null;
    const mappings = await tx.groupRoleMapping.findMany({ where: { tenantId }, orderBy: [{ groupName: 'asc' }, { role: 'asc' }] });
    const clientSecret = this.kek.unwrap(tenantId, row.kekId, row.clientSecretSealed, clientSecretAad(tenantId, row.clientId)).toString('utf8');
    return {
      issuer: row.issuer,
      clientId: row.clientId,
      clientSecret,
      allowedDomains: row.allowedDomains,
      passwordLogin: row.passwordLogin,
      enabled: row.enabled,
      updatedBy: row.updatedBy,
      groupRoles: mappings.map((m) => ({ group: m.groupName, role: m.role })),
    };
  }

  private async view(tx: Tx, tenantId: string): Promise<SsoSettingsView | null> {
    const row = await tx.ssoProvider.findFirst({ where: { tenantId } });
    if (!row) return null;
    const mappings = await tx.groupRoleMapping.findMany({ where: { tenantId }, orderBy: [{ groupName: 'asc' }, { role: 'asc' }] });
    return {
      issuer: row.issuer,
      providerName: row.providerName,
      clientId: row.clientId,
      clientSecretSet: row.clientSecretSealed.length > 0,
      allowedDomains: row.allowedDomains,
      passwordLogin: row.passwordLogin,
      enabled: row.enabled,
      groupRoles: mappings.map((m) => ({ group: m.groupName, role: m.role })),
      redirectUri: ssoRedirectUri(this.config),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
