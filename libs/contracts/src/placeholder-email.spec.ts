import fc from 'fast-check';
import { isPlaceholderEmail } from './bounds';

describe('isPlaceholderEmail', () => {
  it('recognises the addresses Retract makes up for people without one', () => {
    expect(isPlaceholderEmail('0b6f4a53-8d0e-4a36-9a4e-2f7f0c1b5c11@external.invalid')).toBe(true);
    expect(isPlaceholderEmail('erased-0b6f4a53-8d0e-4a36-9a4e-2f7f0c1b5c11@erased.invalid')).toBe(true);
  });

  it('never takes a deliverable address for one', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        fc.pre(!/\.invalid$/i.test(email));
        expect(isPlaceholderEmail(email)).toBe(false);
        // The same address under the reserved .invalid TLD (RFC 2606) never resolves: a placeholder.
        expect(isPlaceholderEmail(`${email}.INVALID`)).toBe(true);
      }),
    );
    for (const email of ['alice@example.com', 'invalid@example.org', 'a@invalid.example', 'bob@mail.invalid.io']) expect(isPlaceholderEmail(email)).toBe(false);
  });
});
