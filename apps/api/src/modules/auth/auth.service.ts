import { Inject, Injectable } from '@nestjs/common';
import type { LoginRequest, LoginResponse, MeView, UpdateMeRequest } from '@retract/contracts';
import { Prisma, type Db } from '@retract/db';
import { CONFIG, type Config } from '../../config/config';
import { DB, TenantDb } from '../../common/database/database.module';
import { SessionCache } from '../../common/auth/session-cache';
import { SessionsRepository } from '../../common/auth/sessions.repository';
import { AccessTokens } from '../../common/auth/tokens';
import { CredentialThrottle, tooManyAttempts } from '../../common/auth/credential-throttle';
import { ProblemException, notFound } from '../../common/problem/problem';
import { toMeView } from '../users/user-view';
import { countLoginFailure } from '../health/metrics';
import { verifyPassword } from './passwords';

const invalidCredentials = () =>
  new ProblemException({ status: 401, code: 'INVALID_CREDENTIALS', detail: 'The organisation, email or password is not correct.' });

@Injectable()
export class AuthService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly tenantDb: TenantDb,
    private readonly sessions: SessionsRepository,
    private readonly sessionCache: SessionCache,
    private readonly tokens: AccessTokens,
    private readonly throttle: CredentialThrottle,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async tenantIdForSlug(slug: string): Promise<string | null> {
    const [row] = await this.db.$queryRaw<{ id: string | null }[]>(Prisma.sql`SELECT tenant_id_for_slug(${slug}) AS id`);
    return row?.id ?? null;
  }

  /**
   * A wrong password, an unknown user and an unknown organisation give the same answer. The
   * attempt is counted before the password is checked, so parallel attempts cannot beat the limit.
   */
  async login(request: LoginRequest, address: string): Promise<LoginResponse & { accessToken: string }> {
    const email = request.email.toLowerCase();
    const wait = await this.throttle.loginAttempt(request.tenant, email, address);
    if (wait > 0) {
      countLoginFailure('throttled');
      throw tooManyAttempts('login', wait);
    }

    const tenantId = await this.tenantIdForSlug(request.tenant);
    const user = tenantId ? await this.tenantDb.run({ tenantId }, (tx) => tx.user.findFirst({ where: { tenantId, email } })) : null;
    const passwordOk = await verifyPassword(user?.passwordHash, request.password);
    if (!tenantId || !user || !passwordOk || !user.active) {
      countLoginFailure('invalid_credentials');
      throw invalidCredentials();
    }
    await this.throttle.loginSucceeded(request.tenant, email, address);
    // Checked after the password, so the answer tells nothing about an account to who does not hold it.
    if (!user.roles.includes('ADMIN') && !(await this.passwordLoginAllowed(request.tenant))) {
      countLoginFailure('sso_required');
      throw new ProblemException({
        status: 403,
        code: 'SSO_REQUIRED',
        detail: "The organisation signs its people in through its identity provider: use 'Continue with your provider'.",
      });
    }
    const scope = { tenantId };
    const session = await this.sessions.create(scope, user.id, this.config.SESSION_TTL_SECONDS);
    const { token, expiresAt } = await this.tokens.issue({ userId: user.id, tenantId, sessionId: session.id });
    return { accessToken: token, expiresAt: expiresAt.toISOString(), user: await this.me(scope, user.id) };
  }

  /** Administrators keep passwords (break-glass); others only while the organisation allows it (docs/identity.md). */
  private async passwordLoginAllowed(slug: string): Promise<boolean> {
    const [row] = await this.db.$queryRaw<{ password_login: boolean }[]>(Prisma.sql`SELECT password_login FROM sso_sign_in_options(${slug})`);
    return row?.password_login ?? true;
  }

  async me(scope: { tenantId: string }, userId: string): Promise<MeView> {
    return this.tenantDb.run(scope, async (tx) => {
      const [user, tenant] = await Promise.all([
        tx.user.findFirst({ where: { tenantId: scope.tenantId, id: userId } }),
        tx.tenant.findFirst({ where: { id: scope.tenantId } }),
      ]);
      if (!user || !tenant) throw notFound('user');
      return toMeView(user, tenant);
    });
  }

  /**
   * A person changes their own language. Not an audit entry: it grants nothing and concerns only how
   * texts are shown to them, like an administrator's edit of it (docs/architecture.md, "Languages").
   */
  async updateMe(scope: { tenantId: string }, userId: string, sessionId: string, request: UpdateMeRequest): Promise<MeView> {
    const me = await this.tenantDb.run(scope, async (tx) => {
      const user = await tx.user.update({
        where: { tenantId_id: { tenantId: scope.tenantId, id: userId } },
        data: { locale: request.locale, updatedAt: new Date() },
      });
      const tenant = await tx.tenant.findFirst({ where: { id: scope.tenantId } });
      if (!tenant) throw notFound('organisation');
      return toMeView(user, tenant);
    });
    // The person's next request speaks the new language; other replicas drop it on the notification.
    this.sessionCache.drop(sessionId);
    return me;
  }

  async logout(scope: { tenantId: string }, sessionId: string): Promise<void> {
    await this.sessions.revoke(scope, sessionId);
    // Other replicas drop it on the notification; this one at once.
    this.sessionCache.drop(sessionId);
  }
}
