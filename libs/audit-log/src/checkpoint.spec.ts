import fc from 'fast-check';
import { encodeBase64 } from './base64';
import { utf8Bytes } from './bytes';
import {
  assertConsistentHead,
  formatCheckpointBody,
  parseCheckpoint,
  parseCheckpointBody,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from './checkpoint';
import { nodeCryptoHasher as hasher } from './hash-node';
import { hashLeaf, rootFromLeafHashes } from './merkle';
import { consistencyProofFromLeafHashes } from './proof-generation';
import { formatVerifierKey, noteSignerFromPrivateKey, signNote } from './signed-note';

const ORIGIN = 'retract.example/audit/8c1f0d3e-2b4a-4c5d-9e6f-7a8b9c0d1e2f';
const signer = noteSignerFromPrivateKey(ORIGIN, new Uint8Array(32).fill(3));
const vkey = formatVerifierKey(signer);
const otherSigner = noteSignerFromPrivateKey(ORIGIN, new Uint8Array(32).fill(4));
const ROOT = new Uint8Array(32).map((_, i) => i);

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('formats the body exactly', () => {
    expect(formatCheckpointBody({ origin: ORIGIN, size: 20852163, rootHash: ROOT })).toBe(`${ORIGIN}\n20852163\n${encodeBase64(ROOT)}\n`);
    expect(formatCheckpointBody({ origin: 'o', size: 0, rootHash: ROOT, extensions: ['ext one', 'ext two'] })).toBe(
      `o\n0\n${encodeBase64(ROOT)}\next one\next two\n`,
    );
  });

  it('round-trips through sign, parse and verify', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 42, rootHash: ROOT, extensions: ['Timestamp: 1700000000'] }, signer);
    expect(note).toMatch(new RegExp(`^${ORIGIN}\\n42\\n[A-Za-z0-9+/]{43}=\\nTimestamp: 1700000000\\n\\n— ${ORIGIN} [A-Za-z0-9+/]{91}=\\n$`));
    expect(parseCheckpoint(note).checkpoint).toEqual({ origin: ORIGIN, size: 42, rootHash: ROOT, extensions: ['Timestamp: 1700000000'] });
    const verified = verifyCheckpoint(note, vkey, { origin: ORIGIN });
    expect(verified).toMatchObject({ ok: true, checkpoint: { size: 42 } });
  });

  it('accepts the tlog-checkpoint example body', () => {
    const body = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    expect(parseCheckpointBody(body)).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
  });

  it('rejects notes signed by other keys, with bad signatures, or for another log', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 1, rootHash: ROOT }, signer);
    expect(verifyCheckpoint(note, formatVerifierKey(otherSigner))).toMatchObject({ ok: false, code: 'CHECKPOINT_UNKNOWN_KEY' });
    const tampered = note.replace('\n1\n', '\n2\n');
    expect(verifyCheckpoint(tampered, vkey)).toMatchObject({ ok: false, code: 'CHECKPOINT_BAD_SIGNATURE', checkpoint: { size: 2 } });
    expect(verifyCheckpoint(note, vkey, { origin: 'retract.example/audit/other' })).toMatchObject({ ok: false, code: 'CHECKPOINT_WRONG_ORIGIN' });
  });

  const root = encodeBase64(ROOT);
  it.each([
    ['a missing root line', `${ORIGIN}\n5\n`],
    ['an empty origin', `\n5\n${root}\n`],
    ['a leading zero', `${ORIGIN}\n05\n${root}\n`],
    ['a plus sign', `${ORIGIN}\n+5\n${root}\n`],
    ['a negative size', `${ORIGIN}\n-5\n${root}\n`],
    ['a space before the size', `${ORIGIN}\n 5\n${root}\n`],
    ['a hexadecimal size', `${ORIGIN}\n0x5\n${root}\n`],
    ['a size above 2^53 - 1', `${ORIGIN}\n9007199254740992\n${root}\n`],
    ['an exponent', `${ORIGIN}\n5e3\n${root}\n`],
    ['a 31-byte root', `${ORIGIN}\n5\n${encodeBase64(new Uint8Array(31))}\n`],
    ['a 33-byte root', `${ORIGIN}\n5\n${encodeBase64(new Uint8Array(33))}\n`],
    ['a non-canonical base64 root', `${ORIGIN}\n5\n${root.slice(0, 42)}B=\n`],
    ['unpadded base64', `${ORIGIN}\n5\n${root.slice(0, 43)}\n`],
    ['an empty extension line', `${ORIGIN}\n5\n${root}\n\next\n`],
    ['too many extension lines', `${ORIGIN}\n5\n${root}\n` + 'x\n'.repeat(17)],
    ['an over-long origin', `${'o'.repeat(1025)}\n5\n${root}\n`],
    ['no final newline', `${ORIGIN}\n5\n${root}`],
  ])('rejects a body with %s', (_name, body) => {
    expect(() => parseCheckpointBody(body)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }));
    // Signed or not, a verifier refuses it before looking at signatures.
    if (body.endsWith('\n')) expect(verifyCheckpoint(signNote(body, [signer]), vkey)).toMatchObject({ ok: false, code: 'CHECKPOINT_MALFORMED' });
  });

  it('refuses to sign a checkpoint a verifier would read differently', () => {
    expect(() => signCheckpoint({ origin: `${ORIGIN}\n7`, size: 5, rootHash: ROOT }, signer)).toThrow(/newlines|malformed/);
    expect(() => signCheckpoint({ origin: ORIGIN, size: 5, rootHash: ROOT, extensions: ['a\nb'] }, signer)).toThrow(/newlines/);
    expect(() => signCheckpoint({ origin: ORIGIN, size: 1.5, rootHash: ROOT }, signer)).toThrow(/malformed/);
    expect(() => signCheckpoint({ origin: ORIGIN, size: 5, rootHash: new Uint8Array(31) }, signer)).toThrow(/32 bytes/);
  });

  it('rejects any single bit flip in the signed note, including in the size and the root', () => {
    const note = signCheckpoint(
      { origin: 'retract.example/t', size: 1234, rootHash: ROOT },
      noteSignerFromPrivateKey('retract.example/t', new Uint8Array(32).fill(5)),
    );
    const key = formatVerifierKey(noteSignerFromPrivateKey('retract.example/t', new Uint8Array(32).fill(5)));
    const bytes = utf8Bytes(note);
    fc.assert(
      fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
        const flipped = Uint8Array.from(bytes);
        flipped[Math.floor(bit / 8)] ^= 1 << (bit % 8);
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(flipped);
        } catch {
          return;
        }
        expect(verifyCheckpoint(text, key).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('assertConsistentHead (the signer’s guard)', () => {
  const leafHashes = Array.from({ length: 20 }, (_, i) => hashLeaf(hasher, utf8Bytes(`e${i}`)));
  const head = (size: number, hashes = leafHashes): Checkpoint => ({
    origin: ORIGIN,
    size,
    rootHash: rootFromLeafHashes(hasher, hashes.slice(0, size)),
    extensions: [],
  });

  it('accepts a head that extends the previous one', () => {
    expect(() => assertConsistentHead(hasher, head(7), head(13), consistencyProofFromLeafHashes(hasher, leafHashes, 7, 13))).not.toThrow();
    expect(() => assertConsistentHead(hasher, head(13), head(13), [])).not.toThrow();
    expect(() => assertConsistentHead(hasher, undefined, head(3), [])).not.toThrow();
    expect(() => assertConsistentHead(hasher, head(0), head(3), [])).not.toThrow();
  });

  it('refuses a smaller head', () => {
    expect(() => assertConsistentHead(hasher, head(13), head(7), [])).toThrow(
      expect.objectContaining({ code: 'INCONSISTENT_HEAD', message: expect.stringMatching(/shrink/) }),
    );
  });

  it('refuses a different root at the same size (a fork)', () => {
    const rewritten = [...leafHashes];
    rewritten[3] = hashLeaf(hasher, utf8Bytes('rewritten'));
    expect(() => assertConsistentHead(hasher, head(13), head(13, rewritten), [])).toThrow(/fork/);
  });

  it('refuses a head that rewrites history, whatever proof is offered', () => {
    const rewritten = [...leafHashes];
    rewritten[3] = hashLeaf(hasher, utf8Bytes('rewritten'));
    const forgedProof = consistencyProofFromLeafHashes(hasher, rewritten, 7, 13);
    expect(() => assertConsistentHead(hasher, head(7), head(13, rewritten), forgedProof)).toThrow(/consistency proof fails/);
    expect(() => assertConsistentHead(hasher, head(7), head(13), [])).toThrow(/consistency proof fails/);
  });

  it('refuses a head for another log', () => {
    expect(() =>
      assertConsistentHead(hasher, head(7), { ...head(13), origin: 'elsewhere' }, consistencyProofFromLeafHashes(hasher, leafHashes, 7, 13)),
    ).toThrow(/origin/);
  });
});
