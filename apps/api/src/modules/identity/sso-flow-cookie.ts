import type { FastifyReply, FastifyRequest } from 'fastify';
import { CookieSealer } from './cookie-sealer';

/**
 * What a sign-in through the provider must remember between leaving for the provider and coming back:
 * the organisation, `state`, `nonce` and the PKCE verifier. It travels in the browser that started
 * the sign-in, encrypted (A256GCM under a key derived from JWT_SECRET), so a callback is accepted
 * only in the browser that asked for it (no login CSRF) and any replica can finish it.
 * SameSite=Lax: the provider sends the browser back with a top-level GET from its own site, which
 * a Strict cookie would not accompany (docs/identity.md, "How sign-in works").
 */
export const SSO_FLOW_COOKIE = '__Host-retract_sso';
export const SSO_FLOW_TTL_SECONDS = 600;

const ATTRIBUTES = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

export interface SsoFlow {
  tenantId: string;
  slug: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class SsoFlowSealer {
  private readonly sealer: CookieSealer<keyof SsoFlow>;

  constructor(jwtSecret: string) {
    this.sealer = new CookieSealer(jwtSecret, 'sso-flow', ['tenantId', 'slug', 'state', 'nonce', 'codeVerifier']);
  }

  seal(flow: SsoFlow): Promise<string> {
    return this.sealer.seal({ ...flow }, new Date(Date.now() + SSO_FLOW_TTL_SECONDS * 1000));
  }

  /** Null for a missing, altered or expired flow. */
  open(sealed: string | undefined): Promise<SsoFlow | null> {
    return this.sealer.open(sealed);
  }

  async set(reply: FastifyReply, flow: SsoFlow): Promise<void> {
    void reply.setCookie(SSO_FLOW_COOKIE, await this.seal(flow), { ...ATTRIBUTES, maxAge: SSO_FLOW_TTL_SECONDS });
  }

  /** The flow of this request, used once: the cookie is cleared whatever the outcome. */
  take(request: FastifyRequest, reply: FastifyReply): Promise<SsoFlow | null> {
    void reply.clearCookie(SSO_FLOW_COOKIE, ATTRIBUTES);
    return this.open(request.cookies?.[SSO_FLOW_COOKIE]);
  }
}
