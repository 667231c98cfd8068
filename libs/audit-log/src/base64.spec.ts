import fc from 'fast-check';
import { decodeBase64, decodeBase64OfLength, decodeBase64Portable, encodeBase64 } from './base64';

describe('base64 (RFC 4648 §4, strict)', () => {
  it('round-trips and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(decodeBase64(text))).toEqual(Array.from(bytes));
        expect(Array.from(decodeBase64Portable(text))).toEqual(Array.from(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['missing padding', 'AA'],
    ['non-zero bits under "=="', 'AB=='],
    ['non-zero bits under "="', 'AAB='],
    ['padding in the middle', 'AA==AAAA'],
    ['whitespace', 'AAAA AAAA'],
    ['a newline', 'AAAA\n'],
    ['URL-safe alphabet', 'AA-_'],
    ['three padding characters', 'A==='],
    ['a non-ASCII character', 'AAA€'],
  ])('rejects %s', (_name, text) => {
    expect(() => decodeBase64(text)).toThrow(expect.objectContaining({ code: 'INVALID_BASE64' }));
    expect(() => decodeBase64Portable(text)).toThrow(expect.objectContaining({ code: 'INVALID_BASE64' }));
  });

  it('checks decoded length when asked', () => {
    expect(decodeBase64OfLength(encodeBase64(new Uint8Array(32)), 32)).toHaveLength(32);
    expect(() => decodeBase64OfLength(encodeBase64(new Uint8Array(31)), 32)).toThrow(/expected 32 bytes/);
  });
});
