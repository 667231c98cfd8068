import { sha256 } from '@noble/hashes/sha2.js';

/**
 * SHA-256 over the concatenation of `parts`. Every function that hashes takes a Hasher,
 * so one implementation of the tree, proofs and verifier serves both Node (node:crypto,
 * several times faster) and the browser (pure JS, no Node built-ins in the bundle).
 */
export interface Hasher {
  sha256(...parts: Uint8Array[]): Uint8Array;
}

/** Pure-JS SHA-256 from @noble/hashes: works everywhere; the browser entry uses it. */
export const nobleHasher: Hasher = {
  sha256(...parts) {
    if (parts.length === 1) return sha256(parts[0]);
    const hash = sha256.create();
    for (const part of parts) hash.update(part);
    return hash.digest();
  },
};
