import type { FastifyReply } from 'fastify';

/**
 * The browser session cookie (docs/architecture.md, "Browser sessions"). `__Host-` makes browsers
 * keep it only when it is Secure, for Path=/ and without a Domain, so no sibling host can set or
 * shadow it. Secure always: browsers treat http://localhost and http://127.0.0.1 as secure contexts
 * and keep Secure cookies there. SameSite=Strict: no request started by another site carries it.
 */
export const SESSION_COOKIE = '__Host-retract_session';

const ATTRIBUTES = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, { ...ATTRIBUTES, expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, ATTRIBUTES);
}
