import { isBytesOfLength } from './bytes';
import type { Hasher } from './hash';
import { AuditLogError } from './errors';
import type { NodeRef } from './tree-math';

export const HASH_SIZE = 32;

// RFC 9162 §2.1.1 domain separation: a leaf can never be mistaken for an interior node.
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);
const NOTHING = new Uint8Array(0);

/** SHA-256(0x00 || leaf). */
export function hashLeaf(hasher: Hasher, leaf: Uint8Array): Uint8Array {
  return hasher.sha256(LEAF_PREFIX, leaf);
}

/** SHA-256(0x01 || left || right). */
export function hashChildren(hasher: Hasher, left: Uint8Array, right: Uint8Array): Uint8Array {
  return hasher.sha256(NODE_PREFIX, left, right);
}

/** MTH({}) = SHA-256 of the empty string. */
export function emptyTreeRoot(hasher: Hasher): Uint8Array {
  return hasher.sha256(NOTHING);
}

/**
 * MTH(D[n]) from the leaf hashes. Pairing level by level and carrying an odd last node
 * up unchanged builds exactly RFC 9162's left-heavy tree (split at the largest power of
 * two below n).
 */
export function rootFromLeafHashes(hasher: Hasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyTreeRoot(hasher);
  let level = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(hasher, level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/** Hash of the range whose perfect subtrees (left to right, decreasing) are `hashes`. */
export function foldSubtreeHashes(hasher: Hasher, hashes: readonly Uint8Array[]): Uint8Array {
  let hash = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) hash = hashChildren(hasher, hashes[i], hash);
  return hash;
}

/**
 * Where proof generation reads stored tree nodes. A server answers from its table of
 * leaf hashes (level 0) and completed interior nodes (level ≥ 1, see
 * `appendToFrontier`); all refs of one proof arrive in one call so that it can be a
 * single query.
 */
export interface NodeSource {
  getNodes(refs: readonly NodeRef[]): readonly Uint8Array[] | Promise<readonly Uint8Array[]>;
}

/** The node source over an in-memory list of leaf hashes (tests, small tools). */
export function leafHashesNodeSource(hasher: Hasher, leafHashes: readonly Uint8Array[]): NodeSource {
  return { getNodes: (refs) => refs.map((ref) => perfectSubtreeHash(hasher, leafHashes, ref)) };
}

export function perfectSubtreeHash(hasher: Hasher, leafHashes: readonly Uint8Array[], ref: NodeRef): Uint8Array {
  const width = 2 ** ref.level;
  const start = ref.index * width;
  if (start + width > leafHashes.length) {
    throw new AuditLogError('NODE_NOT_AVAILABLE', `node (${ref.level}, ${ref.index}) is beyond ${leafHashes.length} leaves`);
  }
  return rootFromLeafHashes(hasher, leafHashes.slice(start, start + width));
}

export async function fetchNodes(source: NodeSource, refs: readonly NodeRef[]): Promise<readonly Uint8Array[]> {
  if (refs.length === 0) return [];
  const hashes = await source.getNodes(refs);
  if (hashes.length !== refs.length) {
    throw new AuditLogError('NODE_SOURCE_INVALID', `node source returned ${hashes.length} hashes for ${refs.length} nodes`);
  }
  for (const hash of hashes) {
    if (!isBytesOfLength(hash, HASH_SIZE)) {
      throw new AuditLogError('NODE_SOURCE_INVALID', 'node source returned a value that is not a 32-byte hash');
    }
  }
  return hashes;
}
