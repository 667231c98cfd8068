import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { LoginRequestSchema, LoginResponseSchema, MeViewSchema, type LoginRequest } from '@retract/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, type Config } from '../../config/config';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { clearSessionCookie, setSessionCookie } from '../../common/auth/session-cookie';
import { AUTHENTICATED, Endpoint, PUBLIC } from '../../common/endpoint/endpoint';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService, @Inject(CONFIG) private readonly config: Config) {}

  @Post('auth/login')
  @Endpoint({
    summary: 'Log in; returns a short-lived access token and sets it as an httpOnly cookie',
    tags: ['auth'],
    access: PUBLIC,
    status: 200,
    body: LoginRequestSchema,
    response: LoginResponseSchema,
    errors: [401, 429],
  })
  async login(@Body() body: LoginRequest, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.auth.login(body, request.ip);
    setSessionCookie(reply, result.accessToken, new Date(result.expiresAt), this.config);
    return result;
  }

  @Post('auth/logout')
  @Endpoint({ summary: 'End the current session', tags: ['auth'], access: AUTHENTICATED, status: 204 })
  async logout(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.auth.logout(principal, principal.sessionId);
    clearSessionCookie(reply, this.config);
  }

  @Get('me')
  @Endpoint({ summary: 'The logged-in user and their organisation', tags: ['auth'], access: AUTHENTICATED, response: MeViewSchema })
  me(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.auth.me(principal, principal.userId);
  }
}
