import { hash } from 'node:crypto';
import { concatBytes } from './bytes';
import type { Hasher } from './hash';

/** node:crypto SHA-256 (OpenSSL). Only the Node entry point imports this file. */
export const nodeCryptoHasher: Hasher = {
  sha256(...parts) {
    // One-shot crypto.hash over a copied 65-byte node or ~1 KiB leaf is cheaper than a
    // createHash object per call, and the verifier makes two calls per entry.
    const digest = hash('sha256', parts.length === 1 ? parts[0] : concatBytes(...parts), 'buffer');
    // A plain Uint8Array view, so callers never depend on Buffer-only behaviour.
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
};
