import fc from 'fast-check';
import { secretsMatch } from './secrets';

describe('secretsMatch', () => {
  it('accepts exactly the expected secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (expected, given) => {
        expect(secretsMatch(expected, expected)).toBe(true);
        expect(secretsMatch(given, expected)).toBe(given === expected);
      }),
    );
  });

  it('refuses prefixes, extensions and secrets of another length without throwing', () => {
    const expected = 'platform-operator-token-platform-operator-token';
    for (const given of ['', 'p', expected.slice(0, -1), `${expected}x`, expected.toUpperCase(), `${expected}\u0000`]) {
      expect(secretsMatch(given, expected)).toBe(false);
    }
  });
});
