import { Body, Controller, Get, Inject, Logger, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  SignInOptionsSchema,
  SsoCallbackQuerySchema,
  SsoSettingsRequestSchema,
  SsoSettingsViewSchema,
  SsoStartParamsSchema,
  SsoTestRequestSchema,
  SsoTestResultSchema,
  type SsoSettingsRequest,
  type SsoError,
  type SsoTestRequest,
} from '@retract/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '../../config/config';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { setSessionCookie } from '../../common/auth/session-cookie';
import { Endpoint, PUBLIC, can } from '../../common/endpoint/endpoint';
import { countLoginFailure } from '../health/metrics';
import { SsoFlowSealer } from './sso-flow-cookie';
import { SsoLogoutSealer } from './sso-logout-cookie';
import { SsoSettingsService } from './sso-settings.service';
import { SsoSignIn, SsoSignInError } from './sso-sign-in.service';

/** Where the console's login page shows why a sign-in through the provider did not complete. */
const loginPage = (slug: string | undefined, code: string) => `/login?${new URLSearchParams({ ...(slug ? { tenant: slug } : {}), ssoError: code })}`;

/**
 * The browser-facing routes answer redirects themselves (`@Res()` without passthrough): with
 * passthrough Nest would send the handler's result after the redirect, a second reply that Fastify
 * refuses and logs as a 500.
 */
@Controller()
export class SsoController {
  private readonly flows: SsoFlowSealer;
  private readonly logouts: SsoLogoutSealer;
  private readonly logger = new Logger('SsoSignIn');

  constructor(
    private readonly settings: SsoSettingsService,
    private readonly signIn: SsoSignIn,
    @Inject(CONFIG) config: Config,
  ) {
    this.flows = new SsoFlowSealer(config.JWT_SECRET);
    this.logouts = new SsoLogoutSealer(config.JWT_SECRET);
  }

  @Get('sso')
  @Endpoint({
    summary: "The organisation's OpenID Connect provider (never its client secret) and the redirect URI to register there",
    tags: ['identity'],
    access: can('read', 'SsoSettings'),
    response: SsoSettingsViewSchema,
  })
  get(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.settings.get(principal);
  }

  @Put('sso')
  @Endpoint({
    summary:
      "Set the organisation's OpenID Connect provider: issuer, client id, client secret (write-only, sealed), allowed email domains, " +
      'whether non-administrators may still use passwords, and the provider groups that grant roles; audited',
    tags: ['identity'],
    access: can('update', 'SsoSettings'),
    body: SsoSettingsRequestSchema,
    response: SsoSettingsViewSchema,
  })
  put(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: SsoSettingsRequest) {
    return this.settings.put(principal, body);
  }

  @Post('sso/test')
  @Endpoint({
    summary: "Fetch the provider's discovery document (the given issuer, or the configured one) and report what it advertises",
    tags: ['identity'],
    access: can('update', 'SsoSettings'),
    status: 200,
    body: SsoTestRequestSchema,
    response: SsoTestResultSchema,
  })
  test(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: SsoTestRequest) {
    return this.settings.test(principal, body.issuer);
  }

  @Get('auth/sso/:tenant/options')
  @Endpoint({
    summary: "How an organisation's people sign in: through its provider, with a password, or both (for the login page)",
    tags: ['auth'],
    access: PUBLIC,
    params: SsoStartParamsSchema,
    response: SignInOptionsSchema,
  })
  options(@Param() params: { tenant: string }) {
    return this.signIn.options(params.tenant);
  }

  @Get('auth/sso/:tenant/start')
  @Endpoint({
    summary: "Start signing in through the organisation's provider: 302 to its authorization endpoint (code flow, PKCE S256, state, nonce)",
    tags: ['auth'],
    access: PUBLIC,
    params: SsoStartParamsSchema,
    status: 302,
    produces: 'text/plain',
  })
  async start(@Param() params: { tenant: string }, @Res() reply: FastifyReply) {
    try {
      const { url, flow } = await this.signIn.start(params.tenant);
      await this.flows.set(reply, flow);
      return reply.redirect(url, 302);
    } catch (error) {
      if (!(error instanceof SsoSignInError)) throw error;
      return this.refused(reply, { slug: params.tenant }, error.code, error.message);
    }
  }

  @Get('auth/sso/callback')
  @Endpoint({
    summary:
      "The provider's redirect back: verifies the ID token, creates the person on a first sign-in from an allowed domain, sets the session cookie, " +
      'then 302 to the console (or to its login page with ssoError)',
    tags: ['auth'],
    access: PUBLIC,
    query: SsoCallbackQuerySchema,
    status: 302,
    produces: 'text/plain',
  })
  async callback(@Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const flow = await this.flows.take(request, reply);
    if (!flow) return this.refused(reply, {}, 'SSO_FLOW_EXPIRED', 'no flow cookie of a sign-in this browser started');
    const from = { slug: flow.slug, tenantId: flow.tenantId };
    if (query.error) return this.refused(reply, from, 'SSO_PROVIDER_REFUSED', `the provider answered error=${query.error.slice(0, 64)}`);
    try {
      const rawQuery = request.url.slice(request.url.indexOf('?') + 1);
      const session = await this.signIn.finish(flow, rawQuery);
      setSessionCookie(reply, session.token, session.expiresAt);
      await this.logouts.set(reply, { tenantId: flow.tenantId, idToken: session.idToken }, session.expiresAt);
      return reply.redirect('/login?sso=signed-in', 302);
    } catch (error) {
      if (!(error instanceof SsoSignInError)) throw error;
      return this.refused(reply, from, error.code, error.message);
    }
  }

  @Get('auth/sso/logout')
  @Endpoint({
    summary:
      "After POST /auth/logout: 302 to the provider's end_session_endpoint (id_token_hint, post_logout_redirect_uri the console's login page) " +
      'when this browser signed in through a provider that advertises one, else to the login page',
    tags: ['auth'],
    access: PUBLIC,
    status: 302,
    produces: 'text/plain',
  })
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const logout = await this.logouts.take(request, reply);
    const endSession = logout ? await this.signIn.endSessionUrl(logout) : null;
    return reply.redirect(endSession ?? '/login', 302);
  }

  /**
   * Every refused sign-in: one log line with the reason code and the organisation (no personal data:
   * the reason text names no person), counted as `sso_refused`, then back to the login page saying why.
   */
  private refused(reply: FastifyReply, from: { slug?: string; tenantId?: string }, code: SsoError, reason: string) {
    this.logger.warn({ tenant: from.slug ?? null, tenantId: from.tenantId ?? null, code, reason }, 'single sign-on refused');
    countLoginFailure('sso_refused');
    return reply.redirect(loginPage(from.slug, code), 302);
  }
}
