import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Locale } from '@retract/contracts';
import { isServiceAccountSubject, scopeForSubject } from '@retract/authz';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '../../config/config';
import { ENDPOINT, type EndpointSpec } from '../endpoint/endpoint';
import { forbidden, notFound, passwordChangeRequired, serviceRouteForbidden, unauthenticated } from '../problem/problem';
import { bearerToken } from './bearer-token';
import { CredentialThrottle, tooManyAttempts } from './credential-throttle';
import type { AuthenticatedPrincipal, RequestWithPrincipal } from './principal';
import { ServiceAccountLimits } from './service-account-limits';
import { isServiceToken, ServiceAccountTokens, type RequestWithServicePrincipal, type ServicePrincipal } from './service-accounts';
import { fromConsole, fromForeignPage } from './request-origin';
import { secretsMatch } from './secrets';
import { SessionCache } from './session-cache';
import { SESSION_COOKIE, setSessionCookie } from './session-cookie';
import { AccessTokens } from './tokens';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const bearer = (request: FastifyRequest): string | undefined => bearerToken(request.headers.authorization);

/**
 * Global guard: every route must declare its access (deny by default). The tenant and user come
 * only from a verified token; its session and user come from the replica's session cache, and
 * every transaction the request opens re-checks them in its first statement (`app_enter`), so a
 * deactivated user, a revoked session or a role change stops working at once (docs/architecture.md).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionCache,
    private readonly throttle: CredentialThrottle,
    private readonly serviceTokens: ServiceAccountTokens,
    private readonly serviceLimits: ServiceAccountLimits,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithPrincipal & RequestWithServicePrincipal>();
    if (!spec) {
      this.logger.error({ route: request.routeOptions?.url }, 'route declares no access; refusing');
      throw forbidden('This route is not available.');
    }
    // Browsers name the page that sent a write: a write from any page but the console's is refused,
    // whatever its credentials; clients that say nothing are not browsers (docs/architecture.md).
    const write = !SAFE_METHODS.has(request.method);
    if (write && fromForeignPage(request, this.config.CONSOLE_ORIGIN)) throw forbidden('Cross-site requests are not accepted.');
    switch (spec.access.kind) {
      case 'public':
        return true;
      case 'metrics':
        return this.checkMetricsScraper(request);
      case 'platform':
        return this.checkPlatformOperator(request);
      case 'authenticated':
        if (this.presentsServiceToken(request)) throw forbidden('Service accounts may call only the routes their scopes allow.');
        request.principal = await this.authenticate(request, http.getResponse<FastifyReply>(), write || spec.auditedRead === true, spec);
        return true;
      case 'ability': {
        const scope = scopeForSubject(spec.access.subject);
        if (scope && !bearer(request) && !request.cookies?.[SESSION_COOKIE]) {
          throw unauthenticated(`This route takes a service account's token with the ${scope} scope: Authorization: Bearer rtk_…`);
        }
        if (this.presentsServiceToken(request)) {
          const service = await this.authenticateService(request, http.getResponse<FastifyReply>());
          if (!service.ability.can(spec.access.action, spec.access.subject)) throw forbidden('The service account has no scope for this route.');
          request.service = service;
          return true;
        }
        const principal = await this.authenticate(request, http.getResponse<FastifyReply>(), write || spec.auditedRead === true, spec);
        request.principal = principal;
        if (!principal.ability.can(spec.access.action, spec.access.subject)) {
          throw isServiceAccountSubject(spec.access.subject) ? serviceRouteForbidden() : forbidden();
        }
        return true;
      }
    }
  }

  private presentsServiceToken(request: FastifyRequest): boolean {
    const token = bearer(request);
    return token !== undefined && isServiceToken(token);
  }

  /**
   * A service token (docs/integration.md): the live account it belongs to, read on every request so
   * a revocation holds at once, then the account's own request budget (429 past it).
   */
  private async authenticateService(request: FastifyRequest, reply: FastifyReply): Promise<ServicePrincipal> {
    const service = await this.serviceTokens.authenticate(bearer(request)!);
    if (!service) throw unauthenticated('The service token is not valid or was revoked.');
    this.serviceLimits.admit(service, reply);
    return service;
  }

  /** With METRICS_TOKEN set, only a scraper presenting it; without, anyone who can reach the API. */
  private checkMetricsScraper(request: FastifyRequest): boolean {
    const expected = this.config.METRICS_TOKEN;
    if (!expected) return true;
    const given = bearer(request);
    if (!given || !secretsMatch(given, expected)) throw unauthenticated('A valid metrics token is required.');
    return true;
  }

  /**
   * Each attempt at the platform token is counted per client address before the token is
   * compared, so neither guessing in sequence nor in parallel gets past the limit. A user's own
   * access token is a mistake, not a guess (it cannot be made without the JWT secret): it is
   * refused uncounted, so users behind the operator's address cannot lock the operator out.
   */
  private async checkPlatformOperator(request: FastifyRequest): Promise<boolean> {
    const expected = this.config.PLATFORM_TOKEN;
    if (!expected) throw notFound('route');
    const given = bearer(request);
    if (!given || (await this.tokens.verify(given))) throw unauthenticated('A valid platform operator token is required.');
    const wait = await this.throttle.platformTokenAttempt(request.ip);
    if (wait > 0) throw tooManyAttempts('platform token', wait);
    if (!secretsMatch(given, expected)) throw unauthenticated('A valid platform operator token is required.');
    await this.throttle.platformTokenAccepted(request.ip);
    return true;
  }

  /**
   * `recordsInName`: the request changes something, or records an audit entry in the caller's name
   * (a content view, an export). Made with the browser's cookie, it must say it comes from the
   * console (SameSite=Strict already keeps the cookie off other sites' requests; this also covers
   * sibling hosts of the same site and browsers without SameSite).
   */
  private async authenticate(request: FastifyRequest, reply: FastifyReply, recordsInName: boolean, spec: EndpointSpec): Promise<AuthenticatedPrincipal> {
    const headerToken = bearer(request);
    const cookieToken = request.cookies?.[SESSION_COOKIE];
    const token = headerToken ?? cookieToken;
    if (!token) throw unauthenticated();
    if (!headerToken && recordsInName && !fromConsole(request, this.config.CONSOLE_ORIGIN)) {
      throw forbidden('Requests made with the console session must come from the console.');
    }
    const claims = await this.tokens.verify(token);
    if (!claims) throw unauthenticated('The access token is not valid or has expired; log in again.');
    const scope = { tenantId: claims.tenantId };
    const cached = await this.sessions.get(scope, claims.sessionId, claims.userId);
    if (!cached) throw unauthenticated('Your session has ended; log in again.');
    // An administrator reset the password and so knows it: nothing in the user's name until they choose their own.
    if (cached.user.mustChangePassword && !spec.beforePasswordChange) throw passwordChangeRequired();
    if (!headerToken) await this.slideCookie(reply, claims);
    const { user, ability } = cached;
    return {
      userId: user.userId,
      tenantId: claims.tenantId,
      roles: user.roles,
      sessionId: claims.sessionId,
      session: { id: claims.sessionId, userId: user.userId, roles: user.roles },
      email: user.email,
      displayName: user.displayName,
      locale: user.locale as Locale,
      ability,
    };
  }

  /** Console sessions stay alive while used: a token past half its life is replaced. */
  private async slideCookie(reply: FastifyReply, claims: { userId: string; tenantId: string; sessionId: string; issuedAt: number; expiresAt: number }) {
    const halfLife = (claims.expiresAt - claims.issuedAt) / 2;
    if (Date.now() / 1000 < claims.issuedAt + halfLife) return;
    const { token, expiresAt } = await this.tokens.issue(claims);
    setSessionCookie(reply, token, expiresAt);
  }
}
