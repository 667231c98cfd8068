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

/** Short-lived HS256 access tokens naming a session; the session row decides whether they still count. */
@Injectable()
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(@Inject(CONFIG) private readonly config: Config) {
    this.key = new TextEncoder().encode(config.JWT_SECRET);
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
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Null for anything that is not a valid, unexpired token of ours. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, tenantId: payload.tid, sessionId: payload.sid, issuedAt: payload.iat ?? 0, expiresAt: payload.exp ?? 0 };
    } catch {
      return null;
    }
  }
}
