import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Locale } from '@retract/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { CONFIG, type Config } from '../../config/config';
import { ENDPOINT, type EndpointSpec } from '../endpoint/endpoint';
import { forbidden, notFound, unauthenticated } from '../problem/problem';
import type { AuthenticatedPrincipal, RequestWithPrincipal } from './principal';
import { SessionCache } from './session-cache';
import { AccessTokens, SESSION_COOKIE } from './tokens';
import { setSessionCookie } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithPrincipal>();
    if (!spec) {
      this.logger.error({ route: request.routeOptions?.url }, 'route declares no access; refusing');
      throw forbidden('This route is not available.');
    }
    // Browsers name the page that sent a write: only the console's (or our own host's) are accepted,
    // which stops cross-site form posts and login CSRF; clients that send no Origin are not browsers.
    if (!SAFE_METHODS.has(request.method)) this.checkOrigin(request);
    switch (spec.access.kind) {
      case 'public':
        return true;
      case 'platform':
        return this.checkPlatformOperator(request);
      case 'authenticated':
        request.principal = await this.authenticate(request, http.getResponse<FastifyReply>());
        return true;
      case 'ability': {
        const principal = await this.authenticate(request, http.getResponse<FastifyReply>());
        request.principal = principal;
        if (!principal.ability.can(spec.access.action, spec.access.subject)) throw forbidden();
        return true;
      }
    }
  }

  private checkPlatformOperator(request: FastifyRequest): boolean {
    const expected = this.config.PLATFORM_TOKEN;
    if (!expected) throw notFound('route');
    const given = bearer(request);
    if (!given || !sameSecret(given, expected)) throw unauthenticated('A valid platform operator token is required.');
    return true;
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<AuthenticatedPrincipal> {
    const headerToken = bearer(request);
    const cookieToken = request.cookies?.[SESSION_COOKIE];
    const token = headerToken ?? cookieToken;
    if (!token) throw unauthenticated();
    const claims = await this.tokens.verify(token);
    if (!claims) throw unauthenticated('The access token is not valid or has expired; log in again.');
    const scope = { tenantId: claims.tenantId };
    const cached = await this.sessions.get(scope, claims.sessionId, claims.userId);
    if (!cached) throw unauthenticated('Your session has ended; log in again.');
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

  /** Writes carrying an Origin must come from the console's origin (CSRF defence beside SameSite). */
  private checkOrigin(request: FastifyRequest): void {
    const origin = request.headers.origin;
    if (origin && origin !== this.config.CONSOLE_ORIGIN && !this.isSameHost(origin, request)) {
      throw forbidden('Cross-site requests are not accepted.');
    }
  }

  private isSameHost(origin: string, request: FastifyRequest): boolean {
    try {
      const host = request.headers['x-forwarded-host'] ?? request.headers.host;
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  /** Console sessions stay alive while used: a token past half its life is replaced. */
  private async slideCookie(reply: FastifyReply, claims: { userId: string; tenantId: string; sessionId: string; issuedAt: number; expiresAt: number }) {
    const halfLife = (claims.expiresAt - claims.issuedAt) / 2;
    if (Date.now() / 1000 < claims.issuedAt + halfLife) return;
    const { token, expiresAt } = await this.tokens.issue(claims);
    setSessionCookie(reply, token, expiresAt, this.config);
  }
}
