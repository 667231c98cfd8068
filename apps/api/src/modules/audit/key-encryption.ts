import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Wraps and unwraps small secrets (data keys, signing keys) under the tenant key-encryption key.
 * This is the seam for a KMS: an implementation backed by AWS KMS, GCP KMS or Vault Transit
 * provides the same two calls (with `aad` as the encryption context) and its own `id`.
 */
export interface KeyEncryptionKey {
  readonly id: string;
  wrap(plaintext: Uint8Array, aad: string): Uint8Array<ArrayBuffer>;
  unwrap(wrapped: Uint8Array, aad: string): Buffer;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM under a key from configuration (AUDIT_KEK); output is nonce || ciphertext || tag. */
export class LocalKeyEncryptionKey implements KeyEncryptionKey {
  private readonly key: Buffer;

  constructor(
    readonly id: string,
    base64Key: string,
  ) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('AUDIT_KEK must be 32 bytes');
  }

  wrap(plaintext: Uint8Array, aad: string): Uint8Array<ArrayBuffer> {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    return new Uint8Array(Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
  }

  unwrap(wrapped: Uint8Array, aad: string): Buffer {
    const buffer = Buffer.from(wrapped);
    const decipher = createDecipheriv('aes-256-gcm', this.key, buffer.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(buffer.subarray(buffer.length - TAG_BYTES));
    return Buffer.concat([decipher.update(buffer.subarray(NONCE_BYTES, buffer.length - TAG_BYTES)), decipher.final()]);
  }
}

export const KEK = Symbol('KEK');
