import fc from 'fast-check';
import { decodeBase64, encodeBase64 } from '@retract/audit-log';
import { decodeBase64Transient } from './base64-transient';

const outcome = (decode: (text: string) => Uint8Array, text: string) => {
  try {
    return Array.from(decode(text));
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('decodeBase64Transient', () => {
  it('decodes and refuses exactly what decodeBase64 does', () => {
    const texts = fc.oneof(
      fc.uint8Array({ maxLength: 100 }).map((bytes) => encodeBase64(bytes)),
      fc.uint8Array({ maxLength: 100 }).chain((bytes) =>
        fc.tuple(fc.nat(), fc.constantFrom('=', '-', '_', ' ', '\n', 'A', '*', 'é')).map(([at, char]) => {
          const text = encodeBase64(bytes);
          const i = at % (text.length + 1);
          return text.slice(0, i) + char + text.slice(i);
        }),
      ),
      fc.string({ unit: 'binary-ascii', maxLength: 12 }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(outcome(decodeBase64Transient, text)).toEqual(outcome(decodeBase64, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes what does not fit its buffer', () => {
    const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
    expect(Array.from(decodeBase64Transient(encodeBase64(big)))).toEqual(Array.from(big));
  });
});
