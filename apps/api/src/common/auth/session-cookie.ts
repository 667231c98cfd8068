import type { FastifyReply } from 'fastify';
import type { Config } from '../../config/config';
import { SESSION_COOKIE } from './tokens';

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, config: Config): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.NODE_ENV === 'production',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: config.NODE_ENV === 'production', path: '/' });
}
