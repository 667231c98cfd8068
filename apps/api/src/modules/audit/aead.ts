import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM as every sealed value here uses it: 96-bit random nonce, 128-bit tag (docs/keys.md). */
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SealOpenError extends Error {}

function assertKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new Error('an AES-256-GCM key is 32 bytes');
}

/** Encrypts and authenticates `plaintext` with `aad`; returns nonce || ciphertext || tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  assertKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Opens what `seal` produced. Node accepts GCM tags as short as 4 bytes unless told the length, and
 * a truncated tag is far easier to forge: anything but a full 16-byte tag is refused before decrypting.
 */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  assertKey(key);
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealOpenError('sealed value too short for its nonce and 16-byte tag');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  return openParts(key, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES), aad);
}

/** Opens a ciphertext whose nonce travels separately (the audit content envelope): `ciphertextAndTag` ends with the 16-byte tag. */
export function openParts(key: Uint8Array, nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: string): Buffer {
  assertKey(key);
  if (nonce.length !== NONCE_BYTES) throw new SealOpenError('nonce must be 12 bytes');
  if (ciphertextAndTag.length < TAG_BYTES) throw new SealOpenError('ciphertext too short for its 16-byte tag');
  const body = Buffer.from(ciphertextAndTag.buffer, ciphertextAndTag.byteOffset, ciphertextAndTag.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealOpenError('authentication failed (wrong key, altered ciphertext, or sealed for another place)');
  }
}
