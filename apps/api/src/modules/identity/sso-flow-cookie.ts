import type { FastifyReply, FastifyRequest } from 'fastify';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { hkdfSync } from 'node:crypto';

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
  private readonly key: Uint8Array;

  constructor(jwtSecret: string) {
    this.key = new Uint8Array(hkdfSync('sha256', jwtSecret, 'retract:sso-flow:v1', 'sso-flow', 32));
  }

  async seal(flow: SsoFlow): Promise<string> {
    return new EncryptJWT({ ...flow })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${SSO_FLOW_TTL_SECONDS}s`)
      .encrypt(this.key);
  }

  /** Null for a missing, altered or expired flow. */
  async open(sealed: string | undefined): Promise<SsoFlow | null> {
    if (!sealed || sealed.length > 4096) return null;
    try {
      const { payload } = await jwtDecrypt(sealed, this.key, { contentEncryptionAlgorithms: ['A256GCM'], keyManagementAlgorithms: ['dir'] });
      const fields = ['tenantId', 'slug', 'state', 'nonce', 'codeVerifier'] as const;
      if (!fields.every((field) => typeof payload[field] === 'string')) return null;
      return Object.fromEntries(fields.map((field) => [field, payload[field]])) as unknown as SsoFlow;
    } catch {
      return null;
    }
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
