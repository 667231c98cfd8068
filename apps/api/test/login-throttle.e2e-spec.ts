import { ConfigError } from '../src/config/config';
import { createTenant, PASSWORD, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * Login throttling (docs/architecture.md, "Authentication"): an attempt is counted before its
 * password is checked, so parallel requests cannot beat the limit, and the client address is the
 * socket's peer unless TRUST_PROXY_HOPS says how many proxies in front may be believed.
 */
describe('login throttling', () => {
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    test = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_IP: '50' });
    tenant = await createTenant(test, { admin: ['ADMIN'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] });
  });
  afterAll(() => test.close());

  /** Each test uses its own client address: the per-address counts live in the database that every spec shares. */
  const login = (app: TestApp, payload: Record<string, string>, options: { remoteAddress: string; forwardedFor?: string }) =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: options.remoteAddress,
      headers: { 'content-type': 'application/json', ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}) },
      payload: JSON.stringify(payload),
    });

  const refusedLogins = async (): Promise<{ evaluated: number; throttled: number }> => {
    const metrics = await test.request({ method: 'GET', url: '/metrics' });
    const count = (reason: string) => Number(new RegExp(`^retract_login_failures_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics.body)?.[1]);
    return { evaluated: count('invalid_credentials'), throttled: count('throttled') };
  };

  it('checks at most 5 of 20 concurrent wrong passwords for one account; the rest are refused with 429 and Retry-After unchecked', async () => {
    const before = await refusedLogins();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(test, { tenant: tenant.slug, email: tenant.users.alice.email, password: `guess number ${i}` }, { remoteAddress: '192.0.2.1' }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    for (const response of responses.filter((r) => r.statusCode === 429)) {
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.json().code).toBe('TOO_MANY_REQUESTS');
    }
    // The metric tells checked passwords (invalid_credentials) from attempts refused before the check.
    const after = await refusedLogins();
    expect(after.evaluated - before.evaluated).toBe(5);
    expect(after.throttled - before.throttled).toBe(15);
    // The right password is refused too until the window ends.
    const right = await login(test, { tenant: tenant.slug, email: tenant.users.alice.email, password: PASSWORD }, { remoteAddress: '192.0.2.1' });
    expect(right.statusCode).toBe(429);
  });

  it('resets the account after a successful login', async () => {
    const email = tenant.users.admin.email;
    for (let i = 0; i < 4; i++)
      expect((await login(test, { tenant: tenant.slug, email, password: 'wrong' }, { remoteAddress: '192.0.2.3' })).statusCode).toBe(401);
    expect((await login(test, { tenant: tenant.slug, email, password: PASSWORD }, { remoteAddress: '192.0.2.3' })).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await login(test, { tenant: tenant.slug, email, password: 'wrong' }, { remoteAddress: '192.0.2.3' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('counts failures, not successes, against an address: many people signing in from one address are not throttled', async () => {
    const shared = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3' });
    try {
      const people = await createTenant(test, { admin: ['ADMIN'], a: ['EMPLOYEE'], b: ['EMPLOYEE'], c: ['EMPLOYEE'], d: ['EMPLOYEE'] });
      const statuses: number[] = [];
      for (const person of Object.values(people.users)) {
        statuses.push((await login(shared, { tenant: people.slug, email: person.email, password: PASSWORD }, { remoteAddress: '192.0.2.4' })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await shared.close();
    }
  });

  describe('client address', () => {
    const nobody = (i: number) => ({ tenant: tenant.slug, email: `nobody-${i}@${tenant.slug}.test`, password: 'x' });

    it('with TRUST_PROXY_HOPS=0 (the default) is the socket peer, whatever X-Forwarded-For says', async () => {
      const direct = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3' });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++)
          statuses.push((await login(direct, nobody(i), { remoteAddress: '192.0.2.10', forwardedFor: `203.0.113.${i + 1}` })).statusCode);
        expect(statuses).toEqual([401, 401, 401, 429]);
      } finally {
        await direct.close();
      }
    });

    it('with TRUST_PROXY_HOPS=1 is the address the proxy appended, never one the client put before it', async () => {
      const proxied = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3', TRUST_PROXY_HOPS: '1' });
      try {
        // One client behind the proxy, forging a different address in front of the real one each time.
        const forged: number[] = [];
        for (let i = 0; i < 4; i++)
          forged.push((await login(proxied, nobody(i), { remoteAddress: '192.0.2.20', forwardedFor: `198.51.100.${i + 1}, 203.0.113.50` })).statusCode);
        expect(forged).toEqual([401, 401, 401, 429]);
        // Four clients behind the same proxy: each has its own count.
        const distinct: number[] = [];
        for (let i = 0; i < 4; i++)
          distinct.push((await login(proxied, nobody(i), { remoteAddress: '192.0.2.20', forwardedFor: `203.0.113.${60 + i}` })).statusCode);
        expect(distinct).toEqual([401, 401, 401, 401]);
      } finally {
        await proxied.close();
      }
    });

    it('refuses to start with the old TRUST_PROXY setting, which believed any X-Forwarded-For', async () => {
      await expect(startTestApp({ TRUST_PROXY: 'true' })).rejects.toThrow(ConfigError);
      await expect(startTestApp({ TRUST_PROXY: 'true' })).rejects.toThrow(/TRUST_PROXY was replaced by TRUST_PROXY_HOPS/);
    });
  });
});
