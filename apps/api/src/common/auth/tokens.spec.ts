import type { Config } from '../../config/config';
import { AccessTokens } from './tokens';

const config = { JWT_SECRET: 'a-test-secret-of-at-least-thirty-two-characters', ACCESS_TOKEN_TTL_SECONDS: 60 } as Config;
const subject = {
  userId: '6f1c0a52-0f5e-4e0b-9d3c-3f4b2a1c9e70',
  tenantId: 'b2d1e9a4-7c3f-4a8e-9b61-0d5e4f3a2c18',
  sessionId: 'e7a4c2d9-1b8f-4c6e-a053-9f2d7b1e4c36',
};

describe('AccessTokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a token verified before from memory, and still refuses it once it has expired', async () => {
    const tokens = new AccessTokens(config);
    const { token, expiresAt } = await tokens.issue(subject);
    const claims = await tokens.verify(token);
    expect(claims).toMatchObject(subject);
    expect(await tokens.verify(token)).toBe(claims);
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime());
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token signed with another secret or altered, however often it is presented', async () => {
    const tokens = new AccessTokens(config);
    const other = new AccessTokens({ ...config, JWT_SECRET: 'another-secret-of-at-least-thirty-two-characters' });
    const { token } = await other.issue(subject);
    // Our signature over another session's claims.
    const [header, , signature] = (await tokens.issue(subject)).token.split('.');
    const elsewhere = (await other.issue({ ...subject, sessionId: '0c9b8a7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d' })).token.split('.')[1];
    const altered = `${header}.${elsewhere}.${signature}`;
    for (let i = 0; i < 2; i++) {
      expect(await tokens.verify(token)).toBeNull();
      expect(await tokens.verify(altered)).toBeNull();
    }
  });
});
