import { createHash } from 'node:crypto';
import { encodeHex } from './bytes';
import { frontierFromNodeSource, frontierRoot } from './compact-range';
import { nodeCryptoHasher as hasher } from './hash-node';
import { nobleHasher } from './hash';
import { emptyTreeRoot, hashChildren, hashLeaf, leafHashesNodeSource, rootFromLeafHashes, type NodeSource } from './merkle';
import {
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofFromLeafHashes,
  consistencyProofPlan,
  inclusionProofFromLeafHashes,
  inclusionProofPlan,
} from './proof-generation';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification';

// The RFC 6962 reference tree used by certificate-transparency-go and transparency-dev/merkle.
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const LEAF_HASHES = LEAVES.map((leaf) => hashLeaf(hasher, leaf));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

// (leaf index, tree size, proof) from transparency-dev/merkle proof/verify_test.go (there 1-based leaves).
const INCLUSION_VECTORS: [number, number, string[]][] = [
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [0, 1, []],
];

const CONSISTENCY_VECTORS: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

describe('RFC 6962 / RFC 9162 Merkle tree', () => {
  it('hashes the empty tree as SHA-256 of the empty string', () => {
    expect(encodeHex(emptyTreeRoot(hasher))).toBe(EMPTY_ROOT);
    expect(encodeHex(rootFromLeafHashes(hasher, []))).toBe(EMPTY_ROOT);
  });

  it.each(ROOTS.map((root, i) => [i + 1, root]))('computes the reference root for size %i', (size, root) => {
    expect(encodeHex(rootFromLeafHashes(hasher, LEAF_HASHES.slice(0, size)))).toBe(root);
    expect(
      encodeHex(
        rootFromLeafHashes(
          nobleHasher,
          LEAVES.slice(0, size).map((l) => hashLeaf(nobleHasher, l)),
        ),
      ),
    ).toBe(root);
  });

  it('separates leaves from nodes (0x00 / 0x01 prefixes)', () => {
    const sha = (...parts: number[][]) => encodeHex(createHash('sha256').update(Buffer.from(parts.flat())).digest());
    expect(encodeHex(hashLeaf(hasher, hex('0102')))).toBe(sha([0], [1, 2]));
    expect(encodeHex(hashChildren(hasher, new Uint8Array(32), new Uint8Array(32).fill(1)))).toBe(sha([1], new Array(32).fill(0), new Array(32).fill(1)));
  });

  describe.each(INCLUSION_VECTORS)('inclusion proof for leaf %i in a tree of size %i', (leafIndex, treeSize, proofHex) => {
    const proof = proofHex.map(hex);
    const rootHash = hex(ROOTS[treeSize - 1]);
    const leafHash = LEAF_HASHES[leafIndex];

    it('is generated exactly', () => {
      expect(inclusionProofFromLeafHashes(hasher, LEAF_HASHES, leafIndex, treeSize).map(encodeHex)).toEqual(proofHex);
    });

    it('verifies', () => {
      expect(verifyInclusion(hasher, { leafHash, leafIndex, treeSize, proof, rootHash })).toBe(true);
      expect(encodeHex(rootFromInclusionProof(hasher, leafHash, leafIndex, treeSize, proof)!)).toBe(ROOTS[treeSize - 1]);
    });

    // The probes of transparency-dev/merkle's corruptInclusionProof.
    it('rejects corrupted claims', () => {
      const probes: [string, number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        ['leafIndex - 1', leafIndex - 1, treeSize, rootHash, leafHash, proof],
        ['leafIndex + 1', leafIndex + 1, treeSize, rootHash, leafHash, proof],
        ['leafIndex ^ 2', leafIndex ^ 2, treeSize, rootHash, leafHash, proof],
        ['treeSize * 2', leafIndex, treeSize * 2, rootHash, leafHash, proof],
        ['treeSize / 2', leafIndex, Math.floor(treeSize / 2), rootHash, leafHash, proof],
        ['wrong leaf', leafIndex, treeSize, rootHash, new TextEncoder().encode('WrongLeaf'), proof],
        ['empty root', leafIndex, treeSize, hex(EMPTY_ROOT), leafHash, proof],
        ['random root', leafIndex, treeSize, SOME_HASH, leafHash, proof],
        ['trailing garbage', leafIndex, treeSize, rootHash, leafHash, [...proof, new Uint8Array(0)]],
        ['trailing root', leafIndex, treeSize, rootHash, leafHash, [...proof, rootHash]],
        ['preceding garbage', leafIndex, treeSize, rootHash, leafHash, [new Uint8Array(0), ...proof]],
        ['preceding root', leafIndex, treeSize, rootHash, leafHash, [rootHash, ...proof]],
        ...proof.map((_, i): [string, number, number, Uint8Array, Uint8Array, Uint8Array[]] => [
          `modified proof[${i}] bit 3`,
          leafIndex,
          treeSize,
          rootHash,
          leafHash,
          proof.map((p, j) => (j === i ? flipBit(p, 3) : p)),
        ]),
        ...(proof.length > 0
          ? [
              ['removed component', leafIndex, treeSize, rootHash, leafHash, proof.slice(0, -1)] as [
                string,
                number,
                number,
                Uint8Array,
                Uint8Array,
                Uint8Array[],
              ],
            ]
          : []),
        ...(proof.length > 1
          ? [
              ['inserted component', leafIndex, treeSize, rootHash, leafHash, [SOME_HASH, proof[0], ...proof.slice(1)]] as [
                string,
                number,
                number,
                Uint8Array,
                Uint8Array,
                Uint8Array[],
              ],
            ]
          : []),
      ];
      const wronglyAccepted = probes
        .filter(([, index, size, root, leaf, path]) =>
          verifyInclusion(hasher, { leafHash: leaf, leafIndex: index, treeSize: size, proof: path, rootHash: root }),
        )
        .map(([name]) => name);
      expect(wronglyAccepted).toEqual([]);
    });
  });

  describe.each(CONSISTENCY_VECTORS)('consistency proof from size %i to %i', (oldSize, newSize, proofHex) => {
    const proof = proofHex.map(hex);
    const oldRoot = hex(ROOTS[oldSize - 1]);
    const newRoot = hex(ROOTS[newSize - 1]);

    it('is generated exactly', () => {
      expect(consistencyProofFromLeafHashes(hasher, LEAF_HASHES, oldSize, newSize).map(encodeHex)).toEqual(proofHex);
    });

    it('verifies', () => {
      expect(verifyConsistency(hasher, { oldSize, newSize, oldRoot, newRoot, proof })).toBe(true);
    });

    // The probes of transparency-dev/merkle's corruptConsistencyProof (for non-trivial proofs).
    it('rejects corrupted claims', () => {
      if (proof.length === 0) return;
      const wrongRoot = new TextEncoder().encode('WrongRoot');
      const probes: [string, number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        ['size1 - 1', oldSize - 1, newSize, oldRoot, newRoot, proof],
        ['size1 + 1', oldSize + 1, newSize, oldRoot, newRoot, proof],
        ['size1 ^ 2', oldSize ^ 2, newSize, oldRoot, newRoot, proof],
        ['size2 * 2', oldSize, newSize * 2, oldRoot, newRoot, proof],
        ['size2 / 2', oldSize, Math.floor(newSize / 2), oldRoot, newRoot, proof],
        ['wrong root1', oldSize, newSize, wrongRoot, newRoot, proof],
        ['wrong root2', oldSize, newSize, oldRoot, wrongRoot, proof],
        ['swapped roots', oldSize, newSize, newRoot, oldRoot, proof],
        ['empty proof', oldSize, newSize, oldRoot, newRoot, []],
        ['trailing garbage', oldSize, newSize, oldRoot, newRoot, [...proof, new Uint8Array(0)]],
        ['trailing root1', oldSize, newSize, oldRoot, newRoot, [...proof, oldRoot]],
        ['trailing root2', oldSize, newSize, oldRoot, newRoot, [...proof, newRoot]],
        ['preceding garbage', oldSize, newSize, oldRoot, newRoot, [new Uint8Array(0), ...proof]],
        ['preceding root1', oldSize, newSize, oldRoot, newRoot, [oldRoot, ...proof]],
        ['preceding root2', oldSize, newSize, oldRoot, newRoot, [newRoot, ...proof]],
        ['preceding proof[0]', oldSize, newSize, oldRoot, newRoot, [proof[0], ...proof]],
        ['truncated proof', oldSize, newSize, oldRoot, newRoot, proof.slice(0, -1)],
        ...proof.map((_, i): [string, number, number, Uint8Array, Uint8Array, Uint8Array[]] => [
          `modified proof[${i}] bit 4`,
          oldSize,
          newSize,
          oldRoot,
          newRoot,
          proof.map((p, j) => (j === i ? flipBit(p, 4) : p)),
        ]),
      ];
      const wronglyAccepted = probes
        .filter(([, size1, size2, root1, root2, path]) =>
          verifyConsistency(hasher, { oldSize: size1, newSize: size2, oldRoot: root1, newRoot: root2, proof: path }),
        )
        .map(([name]) => name);
      expect(wronglyAccepted).toEqual([]);
    });
  });

  it('handles the edge cases of consistency (equal sizes, the empty tree, shrinking)', () => {
    const root1 = hex(ROOTS[0]);
    const empty = hex(EMPTY_ROOT);
    const check = (oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: Uint8Array[] = []) =>
      verifyConsistency(hasher, { oldSize, newSize, oldRoot, newRoot, proof });
    expect(check(0, 0, empty, empty)).toBe(true);
    expect(check(0, 1, empty, root1)).toBe(true);
    expect(check(1, 1, root1, root1)).toBe(true);
    expect(check(0, 1, root1, root1)).toBe(false); // size 0 must have the empty root
    expect(check(1, 1, root1, empty)).toBe(false);
    expect(check(1, 1, root1, root1, [empty])).toBe(false);
    expect(check(0, 1, empty, root1, [empty])).toBe(false);
    expect(check(1, 0, root1, empty)).toBe(false);
    expect(check(2, 1, hex(ROOTS[1]), root1)).toBe(false);
    expect(check(1, 2, root1, hex(ROOTS[1]))).toBe(false); // needs a proof
  });

  it('rejects inclusion claims outside the tree', () => {
    for (const [leafIndex, treeSize] of [
      [0, 0],
      [1, 0],
      [1, 1],
      [2, 1],
    ]) {
      expect(verifyInclusion(hasher, { leafHash: SOME_HASH, leafIndex, treeSize, proof: [], rootHash: hex(EMPTY_ROOT) })).toBe(false);
    }
    expect(() => inclusionProofPlan(8, 7)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => consistencyProofPlan(9, 8)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

// Node IDs of the proofs, from transparency-dev/merkle proof/proof_test.go; each proof
// element is the list of stored nodes (level, index) that folds into it, left to right.
describe('proof plans (which stored nodes a proof reads)', () => {
  const n = (level: number, index: number) => ({ level, index });
  it.each([
    [1, 0, []],
    [2, 0, [[n(0, 1)]]],
    [3, 1, [[n(0, 0)], [n(0, 2)]]],
    [7, 0, [[n(0, 1)], [n(1, 1)], [n(1, 2), n(0, 6)]]],
    [7, 3, [[n(0, 2)], [n(1, 0)], [n(1, 2), n(0, 6)]]],
    [7, 4, [[n(0, 5)], [n(0, 6)], [n(2, 0)]]],
    [7, 6, [[n(1, 2)], [n(2, 0)]]],
    [5, 3, [[n(0, 2)], [n(1, 0)], [n(0, 4)]]],
    [6, 4, [[n(0, 5)], [n(2, 0)]]],
    [15, 10, [[n(0, 11)], [n(1, 4)], [n(1, 6), n(0, 14)], [n(3, 0)]]],
    [31, 24, [[n(0, 25)], [n(1, 13)], [n(1, 14), n(0, 30)], [n(3, 2)], [n(4, 0)]]],
    [95, 81, [[n(0, 80)], [n(1, 41)], [n(2, 21)], [n(2, 22), n(1, 46), n(0, 94)], [n(4, 4)], [n(6, 0)]]],
  ])('inclusion in size %i of leaf %i', (size, index, expected) => {
    expect(inclusionProofPlan(index, size)).toEqual(expected);
  });

  it.each([
    [1, 2, [[n(0, 1)]]],
    [1, 4, [[n(0, 1)], [n(1, 1)]]],
    [1, 6, [[n(0, 1)], [n(1, 1)], [n(1, 2)]]],
    [2, 3, [[n(0, 2)]]],
    [2, 8, [[n(1, 1)], [n(2, 1)]]],
    [3, 7, [[n(0, 2)], [n(0, 3)], [n(1, 0)], [n(1, 2), n(0, 6)]]],
    [4, 7, [[n(1, 2), n(0, 6)]]],
    [5, 7, [[n(0, 4)], [n(0, 5)], [n(0, 6)], [n(2, 0)]]],
    [6, 7, [[n(1, 2)], [n(0, 6)], [n(2, 0)]]],
    [7, 8, [[n(0, 6)], [n(0, 7)], [n(1, 2)], [n(2, 0)]]],
    [5, 5, []],
    [2, 4, [[n(1, 1)]]],
    [3, 6, [[n(0, 2)], [n(0, 3)], [n(1, 0)], [n(1, 2)]]],
    [10, 15, [[n(1, 4)], [n(1, 5)], [n(1, 6), n(0, 14)], [n(3, 0)]]],
    [24, 31, [[n(3, 2)], [n(2, 6), n(1, 14), n(0, 30)], [n(4, 0)]]],
    [81, 95, [[n(0, 80)], [n(0, 81)], [n(1, 41)], [n(2, 21)], [n(2, 22), n(1, 46), n(0, 94)], [n(4, 4)], [n(6, 0)]]],
  ])('consistency from size %i to %i', (oldSize, newSize, expected) => {
    expect(consistencyProofPlan(oldSize, newSize)).toEqual(expected);
  });
});

describe('against a naive implementation of the RFC 9162 definitions', () => {
  const SIZES = 24;
  const leaves = Array.from({ length: SIZES }, (_, i) => new TextEncoder().encode(`leaf ${i}`));
  const leafHashes = leaves.map((leaf) => hashLeaf(hasher, leaf));

  it('matches MTH, PATH and PROOF for every size up to 24', () => {
    for (let size = 1; size <= SIZES; size++) {
      const tree = leaves.slice(0, size);
      const root = naiveMth(tree);
      expect(encodeHex(rootFromLeafHashes(hasher, leafHashes.slice(0, size)))).toBe(encodeHex(root));
      for (let index = 0; index < size; index++) {
        const proof = inclusionProofFromLeafHashes(hasher, leafHashes, index, size);
        expect(proof.map(encodeHex)).toEqual(naivePath(index, tree).map(encodeHex));
        expect(verifyInclusion(hasher, { leafHash: leafHashes[index], leafIndex: index, treeSize: size, proof, rootHash: root })).toBe(true);
      }
      for (let oldSize = 1; oldSize <= size; oldSize++) {
        const proof = consistencyProofFromLeafHashes(hasher, leafHashes, oldSize, size);
        expect(proof.map(encodeHex)).toEqual(naiveProof(oldSize, tree).map(encodeHex));
        const oldRoot = naiveMth(leaves.slice(0, oldSize));
        expect(verifyConsistency(hasher, { oldSize, newSize: size, oldRoot, newRoot: root, proof })).toBe(true);
      }
    }
  });

  it('builds the same proofs from an async node source', async () => {
    const calls: number[] = [];
    const memory = leafHashesNodeSource(hasher, leafHashes);
    const source: NodeSource = {
      async getNodes(refs) {
        calls.push(refs.length);
        return memory.getNodes(refs);
      },
    };
    for (const [index, size] of [
      [0, 1],
      [5, 13],
      [12, 13],
      [20, 24],
    ]) {
      const proof = await buildInclusionProof(hasher, source, index, size);
      expect(proof.map(encodeHex)).toEqual(inclusionProofFromLeafHashes(hasher, leafHashes, index, size).map(encodeHex));
    }
    for (const [oldSize, newSize] of [
      [1, 2],
      [7, 13],
      [13, 13],
      [16, 24],
    ]) {
      const proof = await buildConsistencyProof(hasher, source, oldSize, newSize);
      expect(proof.map(encodeHex)).toEqual(consistencyProofFromLeafHashes(hasher, leafHashes, oldSize, newSize).map(encodeHex));
    }
    expect(calls.every((count) => count > 0)).toBe(true); // one batched call per non-empty proof
    expect(calls).toHaveLength(6);
  });

  it('refuses a node source that returns the wrong number of hashes', async () => {
    const broken: NodeSource = { getNodes: () => [] };
    await expect(buildInclusionProof(hasher, broken, 3, 8)).rejects.toMatchObject({ code: 'NODE_SOURCE_INVALID' });
  });
});

// Beyond 2^32 leaves, where 32-bit bitwise arithmetic would silently break. Every leaf
// is the same, so the hash of a perfect subtree depends only on its level.
describe('trees larger than 2^32 leaves', () => {
  const levelHashes = [hashLeaf(hasher, new Uint8Array([42]))];
  for (let level = 1; level <= 53; level++) levelHashes.push(hashChildren(hasher, levelHashes[level - 1], levelHashes[level - 1]));
  const uniform: NodeSource = { getNodes: (refs) => refs.map((ref) => levelHashes[ref.level]) };

  it.each([
    [2 ** 32 + 5, 2 ** 32 + 1],
    [2 ** 40 + 123_456, 2 ** 39 + 7],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1],
  ])('proves inclusion and consistency in a tree of %i leaves', async (treeSize, leafIndex) => {
    const root = await rootOf(treeSize);
    const proof = await buildInclusionProof(hasher, uniform, leafIndex, treeSize);
    expect(verifyInclusion(hasher, { leafHash: levelHashes[0], leafIndex, treeSize, proof, rootHash: root })).toBe(true);
    expect(verifyInclusion(hasher, { leafHash: levelHashes[0], leafIndex, treeSize, proof: proof.slice(1), rootHash: root })).toBe(false);
    const oldSize = leafIndex + 1;
    const consistency = await buildConsistencyProof(hasher, uniform, oldSize, treeSize);
    expect(verifyConsistency(hasher, { oldSize, newSize: treeSize, oldRoot: await rootOf(oldSize), newRoot: root, proof: consistency })).toBe(true);
  });

  async function rootOf(size: number): Promise<Uint8Array> {
    return frontierRoot(hasher, await frontierFromNodeSource(uniform, size));
  }
});

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[0] ^= 1 << bit;
  return copy;
}

// RFC 9162 §2.1.1 / §2.1.3.1 / §2.1.4.1, transcribed literally over leaf data.
function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function naiveMth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0));
  if (d.length === 1) return sha256(new Uint8Array([0]), d[0]);
  const k = splitPoint(d.length);
  return sha256(new Uint8Array([1]), naiveMth(d.slice(0, k)), naiveMth(d.slice(k)));
}

function naivePath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const k = splitPoint(d.length);
  return m < k ? [...naivePath(m, d.slice(0, k)), naiveMth(d.slice(k))] : [...naivePath(m - k, d.slice(k)), naiveMth(d.slice(0, k))];
}

function naiveProof(m: number, d: Uint8Array[]): Uint8Array[] {
  return naiveSubproof(m, d, true);
}

function naiveSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [naiveMth(d)];
  const k = splitPoint(d.length);
  return m <= k ? [...naiveSubproof(m, d.slice(0, k), b), naiveMth(d.slice(k))] : [...naiveSubproof(m - k, d.slice(k), false), naiveMth(d.slice(0, k))];
}
