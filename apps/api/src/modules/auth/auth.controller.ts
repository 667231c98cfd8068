import { Body, Controller, Get, Inject, Patch, Post, Req, Res } from '@nestjs/common';
import { LoginRequestSchema, LoginResponseSchema, MeViewSchema, UpdateMeRequestSchema, type LoginRequest, type UpdateMeRequest } from '@retract/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '../../config/config';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { fromConsole } from '../../common/auth/request-origin';
import { clearSessionCookie, setSessionCookie } from '../../common/auth/session-cookie';
import { AUTHENTICATED, Endpoint, PUBLIC } from '../../common/endpoint/endpoint';
import { forbidden } from '../../common/problem/problem';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('auth/login')
  @Endpoint({
    summary:
      'Log in. session "token" (default) returns a short-lived access token; session "cookie" (the console, from its own origin) ' +
      'sets it as an httpOnly __Host- cookie instead and leaves it out of the body',
    tags: ['auth'],
    access: PUBLIC,
    status: 200,
    body: LoginRequestSchema,
    response: LoginResponseSchema,
    errors: [401, 403, 429],
  })
  async login(@Body() body: LoginRequest, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // A cookie is ambient authority: only the console's own pages may have one set (no login CSRF).
    if (body.session === 'cookie' && !fromConsole(request, this.config.CONSOLE_ORIGIN)) {
      throw forbidden('A cookie session can only be started from the console.');
    }
    const { accessToken, ...rest } = await this.auth.login(body, request.ip);
    if (body.session === 'token') return { accessToken, ...rest };
    setSessionCookie(reply, accessToken, new Date(rest.expiresAt));
    return rest;
  }

  @Post('auth/logout')
  @Endpoint({ summary: 'End the current session', tags: ['auth'], access: AUTHENTICATED, status: 204, beforePasswordChange: true })
  async logout(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.auth.logout(principal, principal.sessionId);
    clearSessionCookie(reply);
  }

  @Get('me')
  @Endpoint({ summary: 'The logged-in user and their organisation', tags: ['auth'], access: AUTHENTICATED, response: MeViewSchema, beforePasswordChange: true })
  me(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.auth.me(principal, principal.userId);
  }

  @Patch('me')
  @Endpoint({
    summary: 'Change your own language (en, zh-CN, ja): the console, recall notices and problem details follow it',
    tags: ['auth'],
    access: AUTHENTICATED,
    body: UpdateMeRequestSchema,
    response: MeViewSchema,
  })
  updateMe(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: UpdateMeRequest) {
    return this.auth.updateMe(principal, principal.userId, principal.sessionId, body);
  }
}
