import fc from 'fast-check';
import { encodeBase64 } from './base64';
import { concatBytes, encodeHex, utf8Bytes } from './bytes';
import {
  formatSignerKey,
  formatVerifierKey,
  generateNoteSigner,
  noteKeyId,
  noteSignerFromPrivateKey,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyNote,
} from './signed-note';

// golang.org/x/mod/sumdb/note's documented example: our notes must be byte-identical.
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('signed notes (C2SP signed-note, Ed25519)', () => {
  const goSigner = parseSignerKey(GO_SIGNER_KEY);
  const goVerifier = parseVerifierKey(GO_VERIFIER_KEY);

  it('reproduces the Go reference note byte for byte', () => {
    expect(signNote(GO_TEXT, [goSigner])).toBe(GO_NOTE);
    expect(formatVerifierKey(goSigner)).toBe(GO_VERIFIER_KEY);
    expect(formatSignerKey(goSigner)).toBe(GO_SIGNER_KEY);
  });

  it('verifies the Go reference note', () => {
    const result = verifyNote(GO_NOTE, [goVerifier]);
    expect(result).toMatchObject({ ok: true, text: GO_TEXT });
  });

  it('derives the key ID from name and public key', () => {
    expect(encodeHex(goVerifier.keyId)).toBe('c74f20a3');
  });

  it('parses verifier keys whose base64 contains "+"', () => {
    const key = parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
    expect(key.name).toBe('TEST');
  });

  it.each([
    ['no key ID', 'PeterNeumann+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a wrong key ID', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['an upper-case key ID', 'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['another name', 'PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['an empty name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a name with a space', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['another key type', 'PeterNeumann+c74f20a3+Anpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a truncated key', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10'],
    ['a small-order public key', smallOrderKey()],
  ])('rejects a verifier key with %s', (_name, text) => {
    expect(() => parseVerifierKey(text)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it('rejects every substring of a verifier key', () => {
    for (let i = 0; i < GO_VERIFIER_KEY.length; i++) {
      for (let j = i + 1; j <= GO_VERIFIER_KEY.length; j++) {
        if (i === 0 && j === GO_VERIFIER_KEY.length) continue;
        expect(() => parseVerifierKey(GO_VERIFIER_KEY.slice(i, j))).toThrow();
      }
    }
  });

  it('round-trips generated keys', () => {
    const signer = generateNoteSigner('retract.example/audit/t1');
    expect(formatVerifierKey(parseSignerKey(formatSignerKey(signer)))).toBe(formatVerifierKey(signer));
    expect(parseVerifierKey(formatVerifierKey(signer)).publicKey).toEqual(signer.publicKey);
  });

  it('ignores signatures by unknown keys but needs one known signature', () => {
    const other = noteSignerFromPrivateKey('witness.example', new Uint8Array(32).fill(9));
    const cosigned = signNote(GO_TEXT, [other, goSigner]);
    const result = verifyNote(cosigned, [goVerifier]);
    expect(result.ok).toBe(true);
    expect(result.ok && result.otherSignatures.map((s) => s.name)).toEqual(['witness.example']);
    expect(verifyNote(signNote(GO_TEXT, [other]), [goVerifier])).toMatchObject({ ok: false, code: 'NOTE_UNKNOWN_KEY' });
  });

  it('rejects the whole note when a known key’s signature fails, even if another verifies', () => {
    const other = noteSignerFromPrivateKey('witness.example', new Uint8Array(32).fill(9));
    const otherVerifier = parseVerifierKey(formatVerifierKey(other));
    const forged = signNote(GO_TEXT, [goSigner]).replace(/\n$/, '') + '\n' + signNote('other text\n', [other]).split('\n\n')[1];
    expect(verifyNote(forged, [goVerifier, otherVerifier])).toMatchObject({ ok: false, code: 'NOTE_BAD_SIGNATURE' });
  });

  it('treats a key with the same name but another ID as unknown', () => {
    const impostor = noteSignerFromPrivateKey('PeterNeumann', new Uint8Array(32).fill(1));
    expect(verifyNote(signNote(GO_TEXT, [impostor]), [goVerifier])).toMatchObject({ ok: false, code: 'NOTE_UNKNOWN_KEY' });
  });

  it('rejects a signature with the right key ID but the wrong length', () => {
    const short = `${GO_TEXT}\n— PeterNeumann ${encodeBase64(concatBytes(goVerifier.keyId, new Uint8Array(63)))}\n`;
    expect(verifyNote(short, [goVerifier])).toMatchObject({ ok: false, code: 'NOTE_BAD_SIGNATURE' });
  });

  it.each([
    ['no signature', `${GO_TEXT}\n`],
    ['no blank line', GO_NOTE.replace(`${GO_TEXT}\n`, GO_TEXT)],
    ['no final newline', GO_NOTE.slice(0, -1)],
    ['a hyphen instead of an em dash', GO_NOTE.replace('—', '-')],
    ['two spaces after the dash', GO_NOTE.replace('— ', '—  ')],
    ['a CR', GO_NOTE.replace('problem,\n', 'problem,\r\n')],
    ['a tab', GO_NOTE.replace('If you', 'If\tyou')],
    ['an unpaired surrogate', GO_NOTE.replace('If', 'I\ud800')],
    ['an empty signature', `${GO_TEXT}\n— PeterNeumann \n`],
    ['a signature that is not base64', `${GO_TEXT}\n— PeterNeumann x08go/ZJ!\n`],
    ['a signature of only a key ID', `${GO_TEXT}\n— PeterNeumann ${encodeBase64(new Uint8Array(4))}\n`],
    ['too many signatures', `${GO_TEXT}\n` + `— PeterNeumann ${encodeBase64(new Uint8Array(68))}\n`.repeat(101)],
    ['more than 64 KiB', `${'a'.repeat(70_000)}\n${GO_NOTE}`],
  ])('rejects a note with %s as malformed', (_name, note) => {
    expect(() => parseNote(note)).toThrow(expect.objectContaining({ code: 'NOTE_MALFORMED' }));
    expect(verifyNote(note, [goVerifier])).toMatchObject({ ok: false, code: 'NOTE_MALFORMED' });
  });

  it('splits text and signatures at the last blank line', () => {
    const text = 'first paragraph\n\nsecond paragraph\n';
    const note = signNote(text, [goSigner]);
    expect(parseNote(note).text).toBe(text);
    expect(verifyNote(note, [goVerifier])).toMatchObject({ ok: true, text });
  });

  it('rejects any single bit flip in the signed note', () => {
    const bytes = utf8Bytes(GO_NOTE);
    fc.assert(
      fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
        const flipped = Uint8Array.from(bytes);
        flipped[Math.floor(bit / 8)] ^= 1 << (bit % 8);
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(flipped);
        } catch {
          return; // not UTF-8 any more: cannot even be read as a note
        }
        expect(verifyNote(text, [goVerifier]).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

function smallOrderKey(): string {
  // The identity point (y = 1), which has order 1.
  const publicKey = new Uint8Array(32);
  publicKey[0] = 1;
  return `small+${encodeHex(noteKeyId('small', publicKey))}+${encodeBase64(concatBytes(new Uint8Array([1]), publicKey))}`;
}
