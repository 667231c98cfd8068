import { Inject, Injectable } from '@nestjs/common';
import { SignJWT, jwtVerify } from 'jose';
import { CONFIG, type Config } from '../../config/config';

const ISSUER = 'retract';
const AUDIENCE = 'retract-api';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
}

/** Tokens verified at most this many at a time are remembered (a few per active session). */
const MAX_VERIFIED = 20_000;

/** Short-lived HS256 access tokens naming a session; the session row decides whether they still count. */
@Injectable()
export class AccessTokens {
  /** The secret imported once as an HMAC key: importing it per call cost more than the signature check. */
  private readonly key: Promise<CryptoKey>;
  /**
   * Tokens whose signature and claims were checked, with their claims. The same bytes under the same
   * secret verify the same way, so a repeat is answered from here; expiry is still checked every time.
   */
  private readonly verified = new Map<string, AccessClaims>();

  constructor(@Inject(CONFIG) private readonly config: Config) {
    this.key = crypto.subtle.importKey('raw', new TextEncoder().encode(config.JWT_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  async issue(subject: { userId: string; tenantId: string; sessionId: string }): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.config.ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ tid: subject.tenantId, sid: subject.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(await this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Null for anything that is not a valid, unexpired token of ours. */
  async verify(token: string): Promise<AccessClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      // As jwtVerify decides expiry: a token is valid while `exp` is after now (whole seconds).
      if (known.expiresAt > Math.floor(Date.now() / 1000)) return known;
      this.verified.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, await this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.sid !== 'string') return null;
      const claims = { userId: payload.sub, tenantId: payload.tid, sessionId: payload.sid, issuedAt: payload.iat ?? 0, expiresAt: payload.exp ?? 0 };
      if (typeof payload.exp === 'number') {
        if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
        this.verified.set(token, claims);
      }
      return claims;
    } catch {
      return null;
    }
  }
}
