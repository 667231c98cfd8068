import { EncryptJWT, jwtDecrypt } from 'jose';
import { hkdfSync } from 'node:crypto';

/**
 * Sealed cookie values of sign-in through a provider (docs/identity.md): string fields encrypted
 * and authenticated with A256GCM under a key derived from JWT_SECRET for one purpose, so a value
 * made for one cookie does not open as another, and the browser can neither read nor alter it.
 */
export class CookieSealer<Required extends string, Optional extends string = never> {
  private readonly key: Uint8Array;

  constructor(
    jwtSecret: string,
    purpose: string,
    private readonly required: readonly Required[],
    private readonly optional: readonly Optional[] = [],
  ) {
    this.key = new Uint8Array(hkdfSync('sha256', jwtSecret, `retract:${purpose}:v1`, purpose, 32));
  }

  async seal(values: Record<Required, string> & Partial<Record<Optional, string>>, expiresAt: Date): Promise<string> {
    return new EncryptJWT({ ...values })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .encrypt(this.key);
  }

  /** Null for a missing, altered, expired or malformed value. */
  async open(sealed: string | undefined): Promise<(Record<Required, string> & Partial<Record<Optional, string>>) | null> {
    if (!sealed || sealed.length > 4096) return null;
    try {
      const { payload } = await jwtDecrypt(sealed, this.key, { contentEncryptionAlgorithms: ['A256GCM'], keyManagementAlgorithms: ['dir'] });
      if (!this.required.every((field) => typeof payload[field] === 'string')) return null;
      const fields: string[] = [...this.required, ...this.optional].filter((field) => typeof payload[field] === 'string');
      return Object.fromEntries(fields.map((field) => [field, payload[field]])) as Record<Required, string> & Partial<Record<Optional, string>>;
    } catch {
      return null;
    }
  }
}
