import { bytesEqual, isBytesOfLength } from './bytes';
import type { Hasher } from './hash';
import { emptyTreeRoot, hashChildren, HASH_SIZE } from './merkle';
import { half, isOdd, isPowerOfTwo, isTreeSize } from './tree-math';

export interface InclusionClaim {
  readonly leafHash: Uint8Array;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly proof: readonly Uint8Array[];
  readonly rootHash: Uint8Array;
}

export interface ConsistencyClaim {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/**
 * RFC 9162 §2.1.3.2. Binds the leaf to the root; the tree size itself is only as
 * trustworthy as the signed checkpoint it comes from (two sizes can share a path shape,
 * e.g. leaf 0 of sizes 6 and 7).
 */
export function verifyInclusion(hasher: Hasher, claim: InclusionClaim): boolean {
  const root = rootFromInclusionProof(hasher, claim.leafHash, claim.leafIndex, claim.treeSize, claim.proof);
  return root !== undefined && isHash(claim.rootHash) && bytesEqual(root, claim.rootHash);
}

/** The root that `proof` implies for the leaf, or undefined when the proof has the wrong shape. */
export function rootFromInclusionProof(
  hasher: Hasher,
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!isTreeSize(treeSize) || !isTreeSize(leafIndex) || leafIndex >= treeSize) return undefined;
  if (!isHash(leafHash) || !proof.every(isHash)) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(hasher, p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(hasher, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/**
 * RFC 9162 §2.1.4.2, plus the two cases the RFC leaves to the caller: equal sizes need
 * equal roots and an empty proof; from the empty tree (whose root must be MTH({})) any
 * tree is consistent with an empty proof.
 */
export function verifyConsistency(hasher: Hasher, claim: ConsistencyClaim): boolean {
  const { oldSize, newSize, oldRoot, newRoot, proof } = claim;
  if (!isTreeSize(oldSize) || !isTreeSize(newSize) || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, emptyTreeRoot(hasher));
  if (proof.length === 0) return false;

  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(hasher, c, fr);
      sr = hashChildren(hasher, c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(hasher, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isHash(value: Uint8Array): boolean {
  return isBytesOfLength(value, HASH_SIZE);
}
