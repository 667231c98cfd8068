import fc from 'fast-check';
import { CookieSealer } from './cookie-sealer';

const secret = 'a-jwt-secret-of-at-least-thirty-two-characters';
const later = () => new Date(Date.now() + 60_000);

describe('CookieSealer (the sign-in cookies of docs/identity.md)', () => {
  it('opens what it sealed, optional fields included when given', async () => {
    const sealer = new CookieSealer(secret, 'sso-logout', ['tenantId'], ['idToken']);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.option(fc.string({ maxLength: 500 }), { nil: undefined }), async (tenantId, idToken) => {
        const opened = await sealer.open(await sealer.seal({ tenantId, ...(idToken === undefined ? {} : { idToken }) }, later()));
        expect(opened).toEqual({ tenantId, ...(idToken === undefined ? {} : { idToken }) });
      }),
      { numRuns: 50 },
    );
  });

  it('does not open a value sealed for another purpose, with another secret, altered, or expired', async () => {
    const flow = new CookieSealer(secret, 'sso-flow', ['tenantId']);
    const logout = new CookieSealer(secret, 'sso-logout', ['tenantId']);
    const sealed = await flow.seal({ tenantId: 't' }, later());
    expect(await flow.open(sealed)).toEqual({ tenantId: 't' });
    expect(await logout.open(sealed)).toBeNull();
    expect(await new CookieSealer(`${secret}!`, 'sso-flow', ['tenantId']).open(sealed)).toBeNull();
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(await flow.open(altered)).toBeNull();
    expect(await flow.open(await flow.seal({ tenantId: 't' }, new Date(Date.now() - 1000)))).toBeNull();
    expect(await flow.open(undefined)).toBeNull();
    expect(await flow.open('x'.repeat(5000))).toBeNull();
  });

  it('refuses a value without a required field', async () => {
    const loose = new CookieSealer(secret, 'sso-flow', [], ['tenantId']);
    const strict = new CookieSealer(secret, 'sso-flow', ['tenantId', 'state']);
    expect(await strict.open(await loose.seal({ tenantId: 't' }, later()))).toBeNull();
  });
});
