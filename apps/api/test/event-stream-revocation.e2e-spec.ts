import type { AddressInfo } from 'node:net';
import { openStream, type SseStream } from './sse-client';
import { PASSWORD, createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * A live event stream ends the moment its session ends (logout, deactivation), on every replica:
 * the events hub hears the revocation's notification at commit, rather than waiting for the
 * stream's next event or its 30-second session check (docs/identity.md, "Effects").
 */
describe('event streams end with their session', () => {
  let test: TestApp;
  let baseUrl: string;
  let tenant: TestTenant;
  const streams: SseStream[] = [];
  const open = async (token: string) => {
    const stream = await openStream(baseUrl, token);
    streams.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  };
  const login = async (email: string) => {
    const response = await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenant.slug, email, password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    return response.json<{ accessToken: string }>().accessToken;
  };
  /** Resolves true when the stream ends within `ms`, false otherwise. */
  const endsWithin = (stream: SseStream, ms: number) =>
    Promise.race([stream.closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())]);

  beforeAll(async () => {
    test = await startTestApp();
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(test.app.getHttpServer().address() as AddressInfo).port}`;
    tenant = await createTenant(test, { admin: ['ADMIN'], second: ['ADMIN'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await test.close();
  });

  it('logout ends that session’s stream at once and leaves the person’s other session streaming', async () => {
    const other = await login(tenant.users.bob.email);
    const ending = await open(tenant.users.bob.token);
    const staying = await open(other);
    const logout = await test.request({ method: 'POST', url: '/api/v1/auth/logout', token: tenant.users.bob.token });
    expect(logout.statusCode).toBe(204);
    expect(await endsWithin(ending, 5000)).toBe(true);
    expect(await endsWithin(staying, 1000)).toBe(false);
  });

  it('deactivation by an administrator ends every stream of the person at once', async () => {
    const second = await login(tenant.users.alice.email);
    const first = await open(tenant.users.alice.token);
    const another = await open(second);
    const deactivated = await test.request({
      method: 'PATCH',
      url: `/api/v1/users/${tenant.users.alice.id}`,
      token: tenant.users.admin.token,
      payload: { active: false },
    });
    expect(deactivated.statusCode).toBe(200);
    expect(await endsWithin(first, 5000)).toBe(true);
    expect(await endsWithin(another, 5000)).toBe(true);
  });

  it('a logout through another API replica ends the stream held by this one at once', async () => {
    const replica = await startTestApp();
    try {
      const stream = await open(tenant.users.second.token);
      const logout = await replica.request({ method: 'POST', url: '/api/v1/auth/logout', token: tenant.users.second.token });
      expect(logout.statusCode).toBe(204);
      expect(await endsWithin(stream, 5000)).toBe(true);
    } finally {
      await replica.close();
    }
  });
});
