import fc from 'fast-check';
import { utf8Bytes } from './bytes';
import { nodeCryptoHasher as hasher } from './hash-node';
import { hashLeaf, rootFromLeafHashes } from './merkle';
import { consistencyProofFromLeafHashes, inclusionProofFromLeafHashes } from './proof-generation';
import { verifyConsistency, verifyInclusion } from './proof-verification';

// Distinct leaves: with equal leaves, swapping two subtrees would give the same root and
// an index flip could not be detected by any Merkle proof.
function tree(size: number, salt: number) {
  const leaves = Array.from({ length: size }, (_, i) => utf8Bytes(`entry ${salt}/${i}`));
  const leafHashes = leaves.map((leaf) => hashLeaf(hasher, leaf));
  return { leaves, leafHashes, root: rootFromLeafHashes(hasher, leafHashes) };
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[Math.floor(bit / 8) % copy.length] ^= 1 << (bit % 8);
  return copy;
}

const RUNS = { numRuns: 100 };
const sizeAndIndex = fc.integer({ min: 1, max: 200 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat()));

describe('inclusion proofs (properties)', () => {
  it('verify for every size and index', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([treeSize, leafIndex, salt]) => {
        const { leafHashes, root } = tree(treeSize, salt);
        const proof = inclusionProofFromLeafHashes(hasher, leafHashes, leafIndex, treeSize);
        expect(verifyInclusion(hasher, { leafHash: leafHashes[leafIndex], leafIndex, treeSize, proof, rootHash: root })).toBe(true);
      }),
      RUNS,
    );
  });

  it('reject any single bit flip in the leaf, a proof element or the root', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(), ([treeSize, leafIndex, salt], bit, element) => {
        const { leaves, leafHashes, root } = tree(treeSize, salt);
        const proof = inclusionProofFromLeafHashes(hasher, leafHashes, leafIndex, treeSize);
        const claim = { leafHash: leafHashes[leafIndex], leafIndex, treeSize, proof, rootHash: root };
        const tamperedLeaf = flipBit(leaves[leafIndex], bit % (leaves[leafIndex].length * 8));
        expect(verifyInclusion(hasher, { ...claim, leafHash: hashLeaf(hasher, tamperedLeaf) })).toBe(false);
        expect(verifyInclusion(hasher, { ...claim, rootHash: flipBit(root, bit % 256) })).toBe(false);
        if (proof.length > 0) {
          const i = element % proof.length;
          const tamperedProof = proof.map((p, j) => (j === i ? flipBit(p, bit % 256) : p));
          expect(verifyInclusion(hasher, { ...claim, proof: tamperedProof })).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('reject any single bit flip in the leaf index', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.integer({ min: 0, max: 9 }), ([treeSize, leafIndex, salt], bit) => {
        const { leafHashes, root } = tree(treeSize, salt);
        const proof = inclusionProofFromLeafHashes(hasher, leafHashes, leafIndex, treeSize);
        const flipped = leafIndex ^ (1 << bit);
        expect(verifyInclusion(hasher, { leafHash: leafHashes[leafIndex], leafIndex: flipped, treeSize, proof, rootHash: root })).toBe(false);
      }),
      RUNS,
    );
  });

  // RFC 9162 proofs bind leaf and root, not the tree size: leaf 0 has the same path in
  // trees of 6 and 7 leaves. The size is bound by the signed checkpoint (a flipped size
  // breaks the signature, see checkpoint.spec.ts).
  it('reject a flipped tree size unless that size gives the leaf the same path shape', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.integer({ min: 0, max: 9 }), ([treeSize, leafIndex, salt], bit) => {
        const { leafHashes, root } = tree(treeSize, salt);
        const proof = inclusionProofFromLeafHashes(hasher, leafHashes, leafIndex, treeSize);
        const flipped = treeSize ^ (1 << bit);
        const accepted = verifyInclusion(hasher, { leafHash: leafHashes[leafIndex], leafIndex, treeSize: flipped, proof, rootHash: root });
        if (accepted) expect(pathShape(leafIndex, flipped)).toEqual(pathShape(leafIndex, treeSize));
      }),
      RUNS,
    );
  });
});

const oldAndNewSize = fc.integer({ min: 1, max: 200 }).chain((newSize) => fc.tuple(fc.integer({ min: 1, max: newSize }), fc.constant(newSize), fc.nat()));

describe('consistency proofs (properties)', () => {
  it('verify for every pair of sizes', () => {
    fc.assert(
      fc.property(oldAndNewSize, ([oldSize, newSize, salt]) => {
        const { leafHashes, root } = tree(newSize, salt);
        const oldRoot = rootFromLeafHashes(hasher, leafHashes.slice(0, oldSize));
        const proof = consistencyProofFromLeafHashes(hasher, leafHashes, oldSize, newSize);
        expect(verifyConsistency(hasher, { oldSize, newSize, oldRoot, newRoot: root, proof })).toBe(true);
      }),
      RUNS,
    );
  });

  it('reject any single bit flip in a proof element, either root or the old size', () => {
    fc.assert(
      fc.property(oldAndNewSize, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 9 }), ([oldSize, newSize, salt], bit, element, sizeBit) => {
        const { leafHashes, root } = tree(newSize, salt);
        const oldRoot = rootFromLeafHashes(hasher, leafHashes.slice(0, oldSize));
        const proof = consistencyProofFromLeafHashes(hasher, leafHashes, oldSize, newSize);
        const claim = { oldSize, newSize, oldRoot, newRoot: root, proof };
        expect(verifyConsistency(hasher, { ...claim, oldRoot: flipBit(oldRoot, bit % 256) })).toBe(false);
        expect(verifyConsistency(hasher, { ...claim, newRoot: flipBit(root, bit % 256) })).toBe(false);
        expect(verifyConsistency(hasher, { ...claim, oldSize: oldSize ^ (1 << sizeBit) })).toBe(false);
        if (proof.length > 0) {
          const i = element % proof.length;
          expect(verifyConsistency(hasher, { ...claim, proof: proof.map((p, j) => (j === i ? flipBit(p, bit % 256) : p)) })).toBe(false);
        }
      }),
      RUNS,
    );
  });

  // As for inclusion, the newer size is bound by its signed checkpoint, not by the proof.
  it('reject a flipped new size unless that size gives the proof the same shape', () => {
    fc.assert(
      fc.property(oldAndNewSize, fc.integer({ min: 0, max: 9 }), ([oldSize, newSize, salt], bit) => {
        const { leafHashes, root } = tree(newSize, salt);
        const oldRoot = rootFromLeafHashes(hasher, leafHashes.slice(0, oldSize));
        const proof = consistencyProofFromLeafHashes(hasher, leafHashes, oldSize, newSize);
        const flipped = newSize ^ (1 << bit);
        if (verifyConsistency(hasher, { oldSize, newSize: flipped, oldRoot, newRoot: root, proof })) {
          expect(consistencyShape(oldSize, flipped)).toEqual(consistencyShape(oldSize, newSize));
        }
      }),
      RUNS,
    );
  });
});

// Which side each proof element sits on, from the RFC 9162 recursions (independent of the
// implementation under test).
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function pathShape(m: number, n: number): string {
  if (n <= 1) return '';
  const k = splitPoint(n);
  return m < k ? pathShape(m, k) + 'R' : pathShape(m - k, n - k) + 'L';
}

function consistencyShape(m: number, n: number, b = true): string {
  if (m === n) return b ? '' : 'S';
  const k = splitPoint(n);
  return m <= k ? consistencyShape(m, k, b) + 'R' : consistencyShape(m - k, n - k, false) + 'L';
}
