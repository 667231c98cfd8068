import { createTenant, PASSWORD, startTestApp, type TestApp, type TestTenant } from './test-app';

describe('authentication', () => {
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    test = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    tenant = await createTenant(test);
  });
  afterAll(() => test.close());

  const login = (payload: unknown, headers?: Record<string, string>) => test.request({ method: 'POST', url: '/api/v1/auth/login', payload, headers });

  it('issues a token to token clients, and no cookie', async () => {
    const response = await login({ tenant: tenant.slug, email: tenant.users.alice.email, password: PASSWORD });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ email: tenant.users.alice.email, roles: ['EMPLOYEE'], tenant: { slug: tenant.slug } });
    expect(body.user.passwordHash).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
    const me = await test.request({ method: 'GET', url: '/api/v1/me', token: body.accessToken });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe(tenant.users.alice.email);
  });

  it('answers a wrong password, an unknown user and an unknown organisation the same way', async () => {
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    const wrongPassword = await login({ tenant: tenant.slug, email: tenant.users.bob.email, password: 'nope-nope-nope' });
    const unknownUser = await login({ tenant: tenant.slug, email: 'ghost@nowhere.test', password: 'nope-nope-nope' });
    const unknownTenant = await login({ tenant: 'no-such-org', email: tenant.users.bob.email, password: 'nope-nope-nope' });
    expect(wrongPassword.statusCode).toBe(401);
    expect(strip(unknownUser.json())).toEqual(strip(wrongPassword.json()));
    expect(strip(unknownTenant.json())).toEqual(strip(wrongPassword.json()));
    expect(wrongPassword.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('rate limits failed logins per account with 429 and Retry-After, even for the right password', async () => {
    const email = tenant.users.compliance.email;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login({ tenant: tenant.slug, email, password: 'wrong-password' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await login({ tenant: tenant.slug, email, password: PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().code).toBe('TOO_MANY_REQUESTS');
  });

  it('rate limits failed logins per client address across accounts', async () => {
    const limited = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '192.0.2.77',
          payload: { tenant: tenant.slug, email: `nobody${i}@x.test`, password: 'x' },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('ends the session on logout', async () => {
    const response = await login({ tenant: tenant.slug, email: tenant.users.bob.email, password: PASSWORD });
    const token = response.json().accessToken as string;
    expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', token })).statusCode).toBe(204);
    const after = await test.request({ method: 'GET', url: '/api/v1/me', token });
    expect(after.statusCode).toBe(401);
  });

  it('rejects tampered, missing and foreign tokens', async () => {
    const token = tenant.users.admin.token;
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await test.request({ method: 'GET', url: '/api/v1/me', token: tampered })).statusCode).toBe(401);
    expect((await test.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const other = await startTestApp({ JWT_SECRET: 'another-secret-another-secret-another-secret' });
    try {
      expect((await other.request({ method: 'GET', url: '/api/v1/me', token })).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses cookie-authenticated writes from another origin', async () => {
    const response = await login(
      { tenant: tenant.slug, email: tenant.users.admin.email, password: PASSWORD, session: 'cookie' },
      { origin: test.config.CONSOLE_ORIGIN },
    );
    const cookie = String(response.headers['set-cookie']).split(';')[0];
    const forged = await test.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: 'https://evil.example' } });
    expect(forged.statusCode).toBe(403);
    const fromConsole = await test.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: test.config.CONSOLE_ORIGIN } });
    expect(fromConsole.statusCode).toBe(204);
  });
});
