import fc from 'fast-check';
import { decodeBase64, encodeBase64 } from './base64';
import { formatVerifierKey, hashLeaf, signCheckpoint, verifyProofBundle } from './index';
import { syntheticSigner, SYNTHETIC_ORIGIN } from './testing/synthetic-export';
import { syntheticProofBundleLines } from './testing/synthetic-proof-bundle';

const SIZE = 37;
const signer = syntheticSigner();
const vkey = formatVerifierKey(signer);
const bundle = (seqs: readonly number[], { key = signer } = {}) => syntheticProofBundleLines({ treeSize: SIZE, seqs, signer: key });

const codes = (result: { problems: readonly { code: string }[] }) => result.problems.map((problem) => problem.code);
const seqSets = fc.uniqueArray(fc.integer({ min: 0, max: SIZE - 1 }), { minLength: 1, maxLength: 12 }).map((seqs) => [...seqs].sort((a, b) => a - b));

describe('verifyProofBundle', () => {
  it('accepts any ascending subset of the log, proved against the signed checkpoint', async () => {
    await fc.assert(
      fc.asyncProperty(seqSets, async (seqs) => {
        const result = await verifyProofBundle(bundle(seqs), { trustedKeys: [vkey] });
        expect(codes(result)).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.seqs).toEqual(seqs);
        expect(result.checkpointsVerified).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  it('names the entry whose leaf changed, whatever byte of it changed', async () => {
    await fc.assert(
      fc.asyncProperty(seqSets, fc.nat(), fc.integer({ min: 1, max: 255 }), async (seqs, at, flip) => {
        const lines = bundle(seqs);
        const target = 2 + (at % seqs.length);
        const entry = JSON.parse(lines[target]) as { leaf: string; seq: number };
        const bytes = decodeBase64(entry.leaf);
        bytes[at % bytes.length] ^= flip;
        // The stored hash is rewritten to match: only the proof can tell.
        lines[target] = JSON.stringify({ ...entry, leaf: encodeBase64(bytes), leafHash: encodeBase64(hashLeaf(bytes)) });
        const result = await verifyProofBundle(lines, { trustedKeys: [vkey] });
        expect(result.ok).toBe(false);
        expect(result.firstBadSeq).toBe(entry.seq);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a proof from another position, a bundle cut short, and an untrusted signer', async () => {
    const swapped = bundle([3, 9]);
    const [three, nine] = [JSON.parse(swapped[2]), JSON.parse(swapped[3])];
    swapped[2] = JSON.stringify({ ...three, proof: nine.proof });
    expect(codes(await verifyProofBundle(swapped, { trustedKeys: [vkey] }))).toEqual(['INCLUSION_PROOF_INVALID']);

    expect(codes(await verifyProofBundle(bundle([3, 9]).slice(0, -1), { trustedKeys: [vkey] }))).toEqual(['TRUNCATED']);

    const other = syntheticSigner(9);
    const resigned = await verifyProofBundle(bundle([3, 9], { key: other }), { trustedKeys: [vkey] });
    expect(codes(resigned)).toEqual(expect.arrayContaining(['HEADER_KEY_NOT_TRUSTED', 'CHECKPOINT_UNTRUSTED_KEY']));
    expect(resigned.ok).toBe(false);
  });

  it('warns when no key is pinned and finds a fork against a saved checkpoint of the same size', async () => {
    const unpinned = await verifyProofBundle(bundle([0, SIZE - 1]));
    expect(unpinned.ok).toBe(true);
    expect(unpinned.warnings.map((warning) => warning.code)).toEqual(['KEYS_NOT_PINNED']);

    const forged = signCheckpoint({ origin: SYNTHETIC_ORIGIN, size: SIZE, rootHash: new Uint8Array(32).fill(1) }, signer);
    expect(codes(await verifyProofBundle(bundle([0]), { trustedKeys: [vkey], previousCheckpoints: [forged] }))).toEqual(['CHECKPOINT_FORK']);
  });
});
