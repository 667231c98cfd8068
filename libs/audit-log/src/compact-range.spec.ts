import fc from 'fast-check';
import { encodeBase64 } from './base64';
import { encodeHex, utf8Bytes } from './bytes';
import {
  appendToFrontier,
  EMPTY_FRONTIER,
  frontierFromLeafHashes,
  frontierFromNodeSource,
  frontierNodeRefs,
  frontierRoot,
  parseFrontier,
  serializeFrontier,
  type CompletedNode,
  type Frontier,
} from './compact-range';
import { nodeCryptoHasher as hasher } from './hash-node';
import { hashLeaf, leafHashesNodeSource, perfectSubtreeHash, rootFromLeafHashes } from './merkle';

const leafHashesOf = (count: number, salt: number) => Array.from({ length: count }, (_, i) => hashLeaf(hasher, utf8Bytes(`${salt}:${i}`)));

describe('frontier (compact range)', () => {
  it('gives the Merkle tree hash of all leaves after every append', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 130 }), fc.nat(), (count, salt) => {
        const leafHashes = leafHashesOf(count, salt);
        let frontier: Frontier = EMPTY_FRONTIER;
        expect(encodeHex(frontierRoot(hasher, frontier))).toBe(encodeHex(rootFromLeafHashes(hasher, [])));
        for (let i = 0; i < count; i++) {
          frontier = appendToFrontier(hasher, frontier, leafHashes[i]).frontier;
          expect(frontier.size).toBe(i + 1);
          expect(encodeHex(frontierRoot(hasher, frontier))).toBe(encodeHex(rootFromLeafHashes(hasher, leafHashes.slice(0, i + 1))));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('reports every completed interior node exactly once, with its recomputed hash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), (count, salt) => {
        const leafHashes = leafHashesOf(count, salt);
        let frontier: Frontier = EMPTY_FRONTIER;
        const completed: CompletedNode[] = [];
        for (const leafHash of leafHashes) {
          const appended = appendToFrontier(hasher, frontier, leafHash);
          frontier = appended.frontier;
          completed.push(...appended.completedNodes);
        }
        const wrong = completed.filter((node) => node.level < 1 || encodeHex(node.hash) !== encodeHex(perfectSubtreeHash(hasher, leafHashes, node)));
        expect(wrong).toEqual([]);
        // Every perfect subtree of 2..n leaves inside [0, count), and nothing else.
        const expected: string[] = [];
        for (let level = 1; 2 ** level <= count; level++) {
          for (let index = 0; (index + 1) * 2 ** level <= count; index++) expected.push(`${level}/${index}`);
        }
        expect(completed.map((n) => `${n.level}/${n.index}`).sort()).toEqual(expected.sort());
      }),
      { numRuns: 30 },
    );
  });

  it('does not modify the frontier it appends to', () => {
    const leafHashes = leafHashesOf(3, 1);
    const before = frontierFromLeafHashes(hasher, leafHashes);
    const snapshot = serializeFrontier(before);
    appendToFrontier(hasher, before, leafHashes[0]);
    expect(serializeFrontier(before)).toEqual(snapshot);
  });

  it('is the stored nodes of the size decomposition (so the server can read it back)', async () => {
    const leafHashes = leafHashesOf(300, 2);
    for (const size of [0, 1, 2, 3, 7, 8, 100, 255, 256, 300]) {
      expect(frontierNodeRefs(size)).toHaveLength(size.toString(2).replace(/0/g, '').length);
      const fromSource = await frontierFromNodeSource(leafHashesNodeSource(hasher, leafHashes), size);
      expect(serializeFrontier(fromSource)).toEqual(serializeFrontier(frontierFromLeafHashes(hasher, leafHashes.slice(0, size))));
    }
  });

  it('round-trips through its JSON form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (count) => {
        const frontier = frontierFromLeafHashes(hasher, leafHashesOf(count, 3));
        const parsed = parseFrontier(JSON.parse(JSON.stringify(serializeFrontier(frontier))));
        expect(serializeFrontier(parsed)).toEqual(serializeFrontier(frontier));
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ['not an object', []],
    ['a negative size', { size: -1, hashes: [] }],
    ['a fractional size', { size: 1.5, hashes: [] }],
    ['too few hashes for the size', { size: 3, hashes: [encodeBase64(new Uint8Array(32))] }],
    ['too many hashes for the size', { size: 0, hashes: [encodeBase64(new Uint8Array(32))] }],
    ['a short hash', { size: 1, hashes: [encodeBase64(new Uint8Array(31))] }],
    ['a hash that is not base64', { size: 1, hashes: ['%'.repeat(44)] }],
    ['an extra field', { size: 0, hashes: [], root: '' }],
  ])('rejects %s', (_name, value) => {
    expect(() => parseFrontier(value)).toThrow(expect.objectContaining({ code: 'FRONTIER_INVALID' }));
  });
});
