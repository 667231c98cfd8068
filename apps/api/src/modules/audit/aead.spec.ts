import fc from 'fast-check';
import { createCipheriv, randomBytes } from 'node:crypto';
import { SealOpenError, open, seal } from './aead';

const key = randomBytes(32);

describe('AES-256-GCM seal and open', () => {
  it('opens what it sealed, with the same associated data only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string(), fc.string(), (plaintext, aad, other) => {
        const sealed = seal(key, plaintext, aad);
        expect(open(key, sealed, aad).equals(Buffer.from(plaintext))).toBe(true);
        if (other !== aad) expect(() => open(key, sealed, other)).toThrow(SealOpenError);
      }),
    );
  });

  it('refuses any altered byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (plaintext, at, flip) => {
        const sealed = seal(key, plaintext, 'aad');
        sealed[at % sealed.length] ^= flip;
        expect(() => open(key, sealed, 'aad')).toThrow(SealOpenError);
      }),
    );
  });

  it('refuses a tag shorter than 16 bytes, even one GCM would accept as a valid truncated tag', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(4, 8, 12, 13, 14, 15), (plaintext, tagBytes) => {
        // A genuine GCM output with a short tag: Node opens it unless the tag length is pinned.
        const nonce = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
        cipher.setAAD(Buffer.from('aad', 'utf8'));
        const short = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
        expect(() => open(key, short, 'aad')).toThrow(SealOpenError);
      }),
    );
  });
});
