import { AuditLogError } from './errors';
import type { Hasher } from './hash';
import { fetchNodes, foldSubtreeHashes, perfectSubtreeHash, type NodeSource } from './merkle';
import { isTreeSize, largestPowerOfTwoBelow, perfectSubtrees, type NodeRef } from './tree-math';

/**
 * A proof as tree nodes: one entry per proof element, each the perfect subtrees (left to
 * right) whose fold is that element. Most elements are a single stored node; the ones on
 * the right edge of a tree whose size is not a power of two are several.
 */
export type ProofPlan = readonly (readonly NodeRef[])[];

type Range = readonly [start: number, end: number];

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as node refs. */
export function inclusionProofPlan(leafIndex: number, treeSize: number): ProofPlan {
  if (!isTreeSize(treeSize) || !isTreeSize(leafIndex) || leafIndex >= treeSize) {
    throw invalidArgument(`no leaf ${leafIndex} in a tree of size ${treeSize}`);
  }
  return pathRanges(leafIndex, 0, treeSize).map(([start, end]) => perfectSubtrees(start, end));
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) as node refs; empty when m is 0 or m = n. */
export function consistencyProofPlan(oldSize: number, newSize: number): ProofPlan {
  if (!isTreeSize(oldSize) || !isTreeSize(newSize) || oldSize > newSize) {
    throw invalidArgument(`no consistency proof from size ${oldSize} to size ${newSize}`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  return subproofRanges(oldSize, 0, newSize, true).map(([start, end]) => perfectSubtrees(start, end));
}

export async function buildInclusionProof(hasher: Hasher, source: NodeSource, leafIndex: number, treeSize: number): Promise<Uint8Array[]> {
  return resolvePlan(hasher, source, inclusionProofPlan(leafIndex, treeSize));
}

export async function buildConsistencyProof(hasher: Hasher, source: NodeSource, oldSize: number, newSize: number): Promise<Uint8Array[]> {
  return resolvePlan(hasher, source, consistencyProofPlan(oldSize, newSize));
}

export function inclusionProofFromLeafHashes(
  hasher: Hasher,
  leafHashes: readonly Uint8Array[],
  leafIndex: number,
  treeSize: number = leafHashes.length,
): Uint8Array[] {
  return resolvePlanSync(hasher, leafHashes, inclusionProofPlan(leafIndex, treeSize));
}

export function consistencyProofFromLeafHashes(
  hasher: Hasher,
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize: number = leafHashes.length,
): Uint8Array[] {
  return resolvePlanSync(hasher, leafHashes, consistencyProofPlan(oldSize, newSize));
}

function pathRanges(leafIndex: number, start: number, end: number): Range[] {
  if (end - start === 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return leafIndex - start < k
    ? [...pathRanges(leafIndex, start, start + k), [start + k, end]]
    : [...pathRanges(leafIndex, start + k, end), [start, start + k]];
}

// SUBPROOF(m, D[start:end], b) with m as an absolute leaf count (start < m ≤ end).
function subproofRanges(m: number, start: number, end: number, isOriginalTree: boolean): Range[] {
  if (m === end) return isOriginalTree ? [] : [[start, end]];
  const k = largestPowerOfTwoBelow(end - start);
  return m - start <= k
    ? [...subproofRanges(m, start, start + k, isOriginalTree), [start + k, end]]
    : [...subproofRanges(m, start + k, end, false), [start, start + k]];
}

async function resolvePlan(hasher: Hasher, source: NodeSource, plan: ProofPlan): Promise<Uint8Array[]> {
  return assemble(hasher, plan, await fetchNodes(source, plan.flat()));
}

function resolvePlanSync(hasher: Hasher, leafHashes: readonly Uint8Array[], plan: ProofPlan): Uint8Array[] {
  return assemble(
    hasher,
    plan,
    plan.flat().map((ref) => perfectSubtreeHash(hasher, leafHashes, ref)),
  );
}

function assemble(hasher: Hasher, plan: ProofPlan, nodeHashes: readonly Uint8Array[]): Uint8Array[] {
  let next = 0;
  return plan.map((element) => foldSubtreeHashes(hasher, nodeHashes.slice(next, (next += element.length))));
}

function invalidArgument(message: string): AuditLogError {
  return new AuditLogError('INVALID_ARGUMENT', message);
}
