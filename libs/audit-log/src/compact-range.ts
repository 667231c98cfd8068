import { decodeBase64OfLength, encodeBase64 } from './base64';
import { AuditLogError } from './errors';
import type { Hasher } from './hash';
import { emptyTreeRoot, fetchNodes, foldSubtreeHashes, hashChildren, HASH_SIZE, type NodeSource } from './merkle';
import { countOnes, half, isOdd, isTreeSize, perfectSubtrees, type NodeRef } from './tree-math';

/**
 * The compact range [0, size), a.k.a. the frontier: the roots of the perfect subtrees a
 * tree of `size` leaves is made of, largest (leftmost) first, one per set bit of size.
 * It is all the state needed to append leaves and compute the root: O(log n).
 */
export interface Frontier {
  readonly size: number;
  readonly hashes: readonly Uint8Array[];
}

/** A perfect subtree that an append completed; the server stores these to serve proofs. */
export interface CompletedNode extends NodeRef {
  readonly hash: Uint8Array;
}

/** JSON form, as in the export header. */
export interface SerializedFrontier {
  readonly size: number;
  readonly hashes: readonly string[];
}

export const EMPTY_FRONTIER: Frontier = Object.freeze({ size: 0, hashes: Object.freeze([]) });

/**
 * Appends one leaf hash. `completedNodes` lists, bottom-up, every interior node
 * (level ≥ 1) that this leaf completed; with the leaf hashes themselves (level 0) they
 * are every node a proof can ask a `NodeSource` for.
 */
export function appendToFrontier(hasher: Hasher, frontier: Frontier, leafHash: Uint8Array): { frontier: Frontier; completedNodes: CompletedNode[] } {
  const hashes = frontier.hashes.slice();
  const completedNodes: CompletedNode[] = [];
  let hash = leafHash;
  let level = 0;
  // Each trailing 1 bit of the old size is a left sibling waiting for this subtree.
  for (let index = frontier.size; isOdd(index); index = half(index)) {
    hash = hashChildren(hasher, hashes.pop() as Uint8Array, hash);
    level++;
    completedNodes.push({ level, index: half(index), hash });
  }
  hashes.push(hash);
  return { frontier: { size: frontier.size + 1, hashes }, completedNodes };
}

/** MTH of the tree the frontier describes. */
export function frontierRoot(hasher: Hasher, frontier: Frontier): Uint8Array {
  return frontier.hashes.length === 0 ? emptyTreeRoot(hasher) : foldSubtreeHashes(hasher, frontier.hashes);
}

export function frontierFromLeafHashes(hasher: Hasher, leafHashes: readonly Uint8Array[]): Frontier {
  let frontier = EMPTY_FRONTIER;
  for (const leafHash of leafHashes) frontier = appendToFrontier(hasher, frontier, leafHash).frontier;
  return frontier;
}

/** The nodes a frontier of `size` consists of, to read them from storage. */
export function frontierNodeRefs(size: number): NodeRef[] {
  if (!isTreeSize(size)) throw new AuditLogError('INVALID_ARGUMENT', `invalid tree size ${String(size)}`);
  return perfectSubtrees(0, size);
}

export async function frontierFromNodeSource(source: NodeSource, size: number): Promise<Frontier> {
  return { size, hashes: [...(await fetchNodes(source, frontierNodeRefs(size)))] };
}

export function serializeFrontier(frontier: Frontier): SerializedFrontier {
  return { size: frontier.size, hashes: frontier.hashes.map(encodeBase64) };
}

/** Validates shape and hash count (one per set bit of size); throws FRONTIER_INVALID. */
export function parseFrontier(value: unknown): Frontier {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidFrontier('not an object');
  const { size, hashes, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw invalidFrontier(`unexpected field ${Object.keys(rest)[0]}`);
  if (!isTreeSize(size)) throw invalidFrontier('size must be a non-negative safe integer');
  if (!Array.isArray(hashes) || !hashes.every((hash) => typeof hash === 'string')) {
    throw invalidFrontier('hashes must be an array of base64 strings');
  }
  if (hashes.length !== countOnes(size)) {
    throw invalidFrontier(`a tree of size ${size} has ${countOnes(size)} frontier hashes, not ${hashes.length}`);
  }
  try {
    return { size, hashes: hashes.map((hash) => decodeBase64OfLength(hash, HASH_SIZE)) };
  } catch {
    throw invalidFrontier('every hash must be base64 of 32 bytes');
  }
}

function invalidFrontier(reason: string): AuditLogError {
  return new AuditLogError('FRONTIER_INVALID', `invalid frontier: ${reason}`);
}
