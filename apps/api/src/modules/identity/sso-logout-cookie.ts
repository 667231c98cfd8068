import type { FastifyReply, FastifyRequest } from 'fastify';
import { CookieSealer } from './cookie-sealer';

/**
 * What logging out at the provider needs once the Retract session has ended (RP-initiated logout,
 * docs/identity.md, "Logout"): the organisation and the ID token as `id_token_hint`. It stays in the
 * browser, sealed, rather than beside the session: the ID token names the person, and the database
 * keeps no copy of it to erase. SameSite=Strict and HttpOnly like the session cookie.
 */
export const SSO_LOGOUT_COOKIE = '__Host-retract_sso_logout';

const ATTRIBUTES = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

/** Beyond this the cookie would pass browsers' 4 KiB limit; logout then goes without the hint. */
const MAX_ID_TOKEN_HINT_LENGTH = 2500;

export interface SsoLogout {
  tenantId: string;
  idToken?: string;
}

export class SsoLogoutSealer {
  private readonly sealer: CookieSealer<'tenantId', 'idToken'>;

  constructor(jwtSecret: string) {
    this.sealer = new CookieSealer(jwtSecret, 'sso-logout', ['tenantId'], ['idToken']);
  }

  async set(reply: FastifyReply, logout: SsoLogout, expiresAt: Date): Promise<void> {
    const idToken = logout.idToken && logout.idToken.length <= MAX_ID_TOKEN_HINT_LENGTH ? logout.idToken : undefined;
    const sealed = await this.sealer.seal({ tenantId: logout.tenantId, ...(idToken ? { idToken } : {}) }, expiresAt);
    void reply.setCookie(SSO_LOGOUT_COOKIE, sealed, { ...ATTRIBUTES, expires: expiresAt });
  }

  /** The logout this browser's provider sign-in left, used once: the cookie is cleared whatever the outcome. */
  take(request: FastifyRequest, reply: FastifyReply): Promise<SsoLogout | null> {
    void reply.clearCookie(SSO_LOGOUT_COOKIE, ATTRIBUTES);
    return this.sealer.open(request.cookies?.[SSO_LOGOUT_COOKIE]);
  }
}
