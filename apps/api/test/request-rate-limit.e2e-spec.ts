import { startTestApp, type TestApp } from './test-app';

/**
 * The request rate limit (docs/architecture.md, "Request rate limit"): every answer carries the
 * client address's standing in RateLimit headers, as the OpenAPI document declares, and a request
 * past the budget is a 429 problem with Retry-After — before authentication, on any route.
 */
describe('request rate limit', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp({ RATE_LIMIT_REQUESTS_PER_MINUTE: '3' });
  });
  afterAll(() => test.close());

  const from = (remoteAddress: string, url: string, headers: Record<string, string> = {}) => test.app.inject({ method: 'GET', url, remoteAddress, headers });

  it('counts down in RateLimit headers on success, 401 and 404 alike, then answers 429 with Retry-After', async () => {
    const address = '198.51.100.7';
    const answers = [
      await from(address, '/healthz'),
      await from(address, '/api/v1/me'),
      await from(address, '/api/v1/no-such-route'),
      await from(address, '/api/v1/me', { authorization: 'Bearer not-a-token' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404, 429]);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    for (const answer of answers) {
      expect(answer.headers['ratelimit-limit']).toBe('3');
      expect(answer.headers['ratelimit-policy']).toBe('3;w=60');
      expect(Number(answer.headers['ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const refused = answers[3];
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(refused.headers['retry-after']).toBe(refused.headers['ratelimit-reset']);
  });

  it('keeps each client address to its own budget', async () => {
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.1', '/healthz')).statusCode).toBe(200);
    expect((await from('203.0.113.1', '/healthz')).statusCode).toBe(429);
    const other = await from('203.0.113.2', '/healthz');
    expect(other.statusCode).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe('2');
  });
});
