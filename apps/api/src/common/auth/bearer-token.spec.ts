import fc from 'fast-check';
import { bearerToken } from './bearer-token';

const token = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,64}$/);
const anyCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

describe('bearerToken', () => {
  it('reads the token whatever the case of the scheme name and however many spaces follow it (RFC 9110 §11.1)', () => {
    fc.assert(
      fc.property(anyCase('bearer'), fc.integer({ min: 1, max: 4 }), token, (scheme, spaces, value) => {
        expect(bearerToken(`${scheme}${' '.repeat(spaces)}${value}`)).toBe(value);
      }),
    );
  });

  it('reads no token from another scheme, a scheme without credentials or no header', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Bearer    ', 'Basic dXNlcjpwYXNz', 'Bearertoken', 'Token abc', ' Bearer abc']) {
      expect(bearerToken(header)).toBeUndefined();
    }
  });
});
