import { createTenant, startTestApp, type TestApp } from './test-app';

const PLATFORM_TOKEN = 'platform-operator-token-platform-operator-token';
const METRICS_TOKEN = 'metrics-scraper-token-metrics-scraper-token';

/**
 * The operators' endpoints (docs/architecture.md, "Operator endpoints"): tenant provisioning behind
 * the platform token, throttled per client address with each attempt counted before the token is
 * compared; /metrics behind METRICS_TOKEN when it is set.
 */
describe('operator access', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp({ PLATFORM_TOKEN, PLATFORM_TOKEN_MAX_FAILURES_PER_IP: '3', METRICS_TOKEN });
  });
  afterAll(() => test.close());

  /** Each test uses its own client address: the counts live in the database that every spec shares. */
  const provision = (remoteAddress: string, token: string, slug = `op-${Math.random().toString(36).slice(2, 10)}`) =>
    test.app.inject({
      method: 'POST',
      url: '/api/v1/platform/tenants',
      remoteAddress,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify({ slug, name: 'Operator test', adminEmail: `boss@${slug}.test`, complianceEmail: `officer@${slug}.test` }),
    });

  describe('platform token', () => {
    it('refuses further attempts from an address after 3 wrong tokens, even the right one, with 429 and Retry-After', async () => {
      const statuses: number[] = [];
      for (const guess of ['a', PLATFORM_TOKEN.slice(0, -1), `${PLATFORM_TOKEN}x`]) statuses.push((await provision('192.0.2.101', guess)).statusCode);
      expect(statuses).toEqual([401, 401, 401]);
      const blocked = await provision('192.0.2.101', PLATFORM_TOKEN);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.json().code).toBe('TOO_MANY_REQUESTS');
      // Another address is not affected.
      expect((await provision('192.0.2.102', PLATFORM_TOKEN)).statusCode).toBe(201);
    });

    it('compares at most 3 of 20 concurrent wrong tokens from one address; the rest get 429', async () => {
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => provision('192.0.2.103', `wrong-token-${i}`)));
      expect(responses.map((response) => response.statusCode).sort()).toEqual([...Array(3).fill(401), ...Array(17).fill(429)]);
    });

    it('does not count user access tokens presented by mistake against the address', async () => {
      const tenant = await createTenant(test, { admin: ['ADMIN'] });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await provision('192.0.2.105', tenant.users.admin.token)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401]);
      expect((await provision('192.0.2.105', PLATFORM_TOKEN)).statusCode).toBe(201);
    });

    it('does not count accepted tokens against the address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await provision('192.0.2.104', PLATFORM_TOKEN)).statusCode);
      expect(statuses).toEqual([201, 201, 201, 201]);
    });
  });

  describe('/metrics with METRICS_TOKEN set', () => {
    it('answers only the scraper that presents the token', async () => {
      const tenant = await createTenant(test, { admin: ['ADMIN'] });
      const anonymous = await test.request({ method: 'GET', url: '/metrics' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(anonymous.body).not.toContain('retract_');
      expect((await test.request({ method: 'GET', url: '/metrics', token: `${METRICS_TOKEN}x` })).statusCode).toBe(401);
      expect((await test.request({ method: 'GET', url: '/metrics', token: tenant.users.admin.token })).statusCode).toBe(401);
      expect((await test.request({ method: 'GET', url: '/metrics', token: PLATFORM_TOKEN })).statusCode).toBe(401);
      const scraped = await test.request({ method: 'GET', url: '/metrics', token: METRICS_TOKEN });
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toContain('retract_login_failures_total');
    });

    it('takes the scheme name in any case (RFC 9110 §11.1), as every bearer token the API reads', async () => {
      for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
        const scraped = await test.request({ method: 'GET', url: '/metrics', headers: { authorization: `${scheme} ${METRICS_TOKEN}` } });
        expect(scraped.statusCode).toBe(200);
      }
      const tenant = await createTenant(test, { admin: ['ADMIN'] });
      const me = await test.request({ method: 'GET', url: '/api/v1/me', headers: { authorization: `bearer ${tenant.users.admin.token}` } });
      expect(me.statusCode).toBe(200);
      expect((await test.request({ method: 'GET', url: '/metrics', headers: { authorization: `Basic ${METRICS_TOKEN}` } })).statusCode).toBe(401);
    });

    it('stays open without METRICS_TOKEN', async () => {
      const open = await startTestApp({ METRICS_TOKEN: '' });
      try {
        expect((await open.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      } finally {
        await open.close();
      }
    });
  });
});
