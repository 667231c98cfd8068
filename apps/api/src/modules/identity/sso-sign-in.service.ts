import { Inject, Injectable, Logger } from '@nestjs/common';
import { rolesForGroups } from '@retract/authz';
import type { SignInOptions, SsoError } from '@retract/contracts';
import { Prisma, type Db, type Tx } from '@retract/db';
import type { IDToken } from 'openid-client';
import { CONFIG, type Config } from '../../config/config';
import { DB, TenantDb } from '../../common/database/database.module';
import { SessionsRepository } from '../../common/auth/sessions.repository';
import { AccessTokens } from '../../common/auth/tokens';
import { AuditLog } from '../audit/audit-log';
import { AuthService } from '../auth/auth.service';
import { ROLES_NEEDING_APPROVAL, RoleGrants } from '../role-grants/role-grants.service';
import { ProviderError } from './oidc-provider-client';
import { SsoSettingsService, ssoRedirectUri, type StoredProvider } from './sso-settings.service';
import type { SsoFlow } from './sso-flow-cookie';
import type { SsoLogout } from './sso-logout-cookie';

/** A sign-in that did not complete, with the reason the login page shows. */
export class SsoSignInError extends Error {
  constructor(
    readonly code: SsoError,
    message: string,
  ) {
    super(message);
  }
}

const MAX_GROUPS_READ = 500;

/** The ID token's email: `email`, or an email-shaped `preferred_username` (Entra ID without the optional email claim). */
function emailOf(claims: IDToken): string | null {
  const candidates = [claims.email, claims.preferred_username];
  const email = candidates.find((value): value is string => typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value) && value.length <= 254);
  return email?.toLowerCase() ?? null;
}

const groupsOf = (claims: IDToken): string[] =>
  Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string').slice(0, MAX_GROUPS_READ) : [];

/**
 * Sign-in through the organisation's OpenID provider (docs/identity.md): the redirect to the provider,
 * then the callback that verifies the ID token, finds or creates the person and opens the same kind of
 * session a password login opens.
 */
@Injectable()
export class SsoSignIn {
  private readonly logger = new Logger('SsoSignIn');

  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly tenantDb: TenantDb,
    private readonly settings: SsoSettingsService,
    private readonly auth: AuthService,
    private readonly sessions: SessionsRepository,
    private readonly tokens: AccessTokens,
    private readonly audit: AuditLog,
    private readonly grants: RoleGrants,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async options(slug: string): Promise<SignInOptions> {
    const [row] = await this.db.$queryRaw<{ sso: boolean; password_login: boolean; provider_name: string | null }[]>(
      Prisma.sql`SELECT sso, password_login, provider_name FROM sso_sign_in_options(${slug})`,
    );
    return { sso: row?.sso ?? false, passwordLogin: row?.password_login ?? true, providerName: row?.provider_name ?? null };
  }

  private async enabledProvider(tenantId: string | null): Promise<StoredProvider> {
    const provider = tenantId ? await this.tenantDb.run({ tenantId }, (tx) => this.settings.load(tx, tenantId)) : null;
    if (!provider?.enabled) throw new SsoSignInError('SSO_NOT_CONFIGURED', 'the organisation has no enabled provider');
    return provider;
  }

  /** The provider's authorization URL and the flow to keep in the browser until it comes back. */
  async start(slug: string): Promise<{ url: string; flow: SsoFlow }> {
    const tenantId = await this.auth.tenantIdForSlug(slug);
    const provider = await this.enabledProvider(tenantId);
    try {
      const config = await this.settings.client.discover(provider);
      const { url, state, nonce, codeVerifier } = await this.settings.client.authorizationUrl(config, ssoRedirectUri(this.config));
      return { url: url.href, flow: { tenantId: tenantId!, slug, state, nonce, codeVerifier } };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      throw new SsoSignInError(error.code, error.message);
    }
  }

  /** Verifies the provider's answer and opens a session; throws SsoSignInError with the reason otherwise. */
  async finish(flow: SsoFlow, rawQuery: string): Promise<{ token: string; expiresAt: Date; userId: string; idToken: string }> {
    const provider = await this.enabledProvider(flow.tenantId);
    try {
      const config = await this.settings.client.discover(provider);
      const { claims, idToken } = await this.settings.client.finish(config, new URL(`${ssoRedirectUri(this.config)}?${rawQuery}`), flow);
      return { ...(await this.signIn(flow.tenantId, provider, claims)), idToken };
    } catch (error) {
      if (error instanceof ProviderError) throw new SsoSignInError(error.code, error.message);
      throw error;
    }
  }

  /**
   * Where the browser goes to end its session at the provider (RP-initiated logout), back to the
   * console's login page after; null when the provider advertises no end_session_endpoint or is gone.
   */
  async endSessionUrl(logout: SsoLogout): Promise<string | null> {
    const provider = await this.tenantDb.run({ tenantId: logout.tenantId }, (tx) => this.settings.load(tx, logout.tenantId));
    if (!provider) return null;
    try {
      const config = await this.settings.client.discover(provider);
      return this.settings.client.endSessionUrl(config, `${this.config.CONSOLE_ORIGIN}/login`, logout.idToken);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger.warn({ tenantId: logout.tenantId, code: error.code, reason: error.message }, 'the provider could not be reached to log out there');
      return null;
    }
  }

  private async signIn(tenantId: string, provider: StoredProvider, claims: IDToken): Promise<{ token: string; expiresAt: Date; userId: string }> {
    const email = emailOf(claims);
    if (!email) throw new SsoSignInError('SSO_TOKEN_INVALID', 'the ID token names no email');
    if (claims.email_verified === false) throw new SsoSignInError('SSO_EMAIL_NOT_VERIFIED', 'the provider says the email is not verified');
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!provider.allowedDomains.includes(domain)) throw new SsoSignInError('SSO_DOMAIN_NOT_ALLOWED', "the email's domain is not one of the allowed domains");
    const userId = await this.tenantDb.run({ tenantId }, (tx) => this.findOrCreate(tx, tenantId, provider, claims, email));
    const session = await this.sessions.create({ tenantId }, userId, this.config.SESSION_TTL_SECONDS);
    const { token, expiresAt } = await this.tokens.issue({ userId, tenantId, sessionId: session.id });
    return { token, expiresAt, userId };
  }

  /**
   * The person the provider's subject is bound to; on a first sign-in, the user with that email (now
   * bound to the subject), or a new EMPLOYEE with the roles the organisation maps the groups to.
   */
  private async findOrCreate(tx: Tx, tenantId: string, provider: StoredProvider, claims: IDToken, email: string): Promise<string> {
    const identity = await tx.ssoIdentity.findFirst({ where: { tenantId, issuer: provider.issuer, subject: claims.sub } });
    let user = identity ? await tx.user.findFirst({ where: { tenantId, id: identity.userId } }) : null;
    if (!user) {
      user = await tx.user.findFirst({ where: { tenantId, email } });
      if (user) {
        await tx.ssoIdentity.create({ data: { tenantId, issuer: provider.issuer, subject: claims.sub, userId: user.id } });
        await this.audit.append(tx, tenantId, { action: 'SSO_USER_LINKED', actorId: user.id, subjectUserId: user.id, details: { issuer: provider.issuer } });
      }
    }
    if (user) {
      if (!user.active || user.erasedAt) throw new SsoSignInError('SSO_ACCOUNT_DISABLED', 'the account is deactivated');
      return user.id;
    }
    const asked = rolesForGroups(provider.groupRoles, groupsOf(claims));
    const now = asked.filter((role) => !ROLES_NEEDING_APPROVAL.includes(role));
    const tenant = await tx.tenant.findFirst({ where: { id: tenantId }, select: { locale: true } });
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 120) : email.slice(0, email.indexOf('@'));
    const created = await tx.user.create({ data: { tenantId, email, displayName: name, roles: now, locale: tenant?.locale ?? 'en', passwordHash: null } });
    await tx.ssoIdentity.create({ data: { tenantId, issuer: provider.issuer, subject: claims.sub, userId: created.id } });
    await this.audit.append(tx, tenantId, {
      action: 'USER_CREATED',
      actorId: created.id,
      subjectUserId: created.id,
      details: { roles: now, locale: created.locale, via: 'SSO', issuer: provider.issuer },
      personal: { email },
    });
    // COMPLIANCE from a group waits for a second compliance officer, asked for by the administrator who set the mapping.
    for (const role of asked.filter((r) => ROLES_NEEDING_APPROVAL.includes(r))) {
      await this.grants.request(tx, { tenantId, userId: provider.updatedBy }, created.id, role);
    }
    return created.id;
  }
}
