import { Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@retract/db';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { TenantDb } from '../src/common/database/database.module';
import { startDatabaseProxy, type DatabaseProxy } from './fixtures/database-proxy';
import { createMessagingTenant, sendText, type MessagingTenant } from './messaging-fixtures';
import { openStream, type SseStream } from './sse-client';
import { PASSWORD, requireEnv, startTestApp, type TestApp } from './test-app';

const CONNECT_TIMEOUT_MS = 1000;
/** What a request may take beyond the connection timeout (its own work, a slow shared machine). */
const SLACK_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The database taken away from one API (through a proxy; the server itself stays up for the
 * other tests): every request is answered at once with a 503 problem and Retry-After, readiness
 * says so, and everything comes back by itself — caches, the listener, open event streams.
 */
describe('while the database is unreachable', () => {
  const appUrl = requireEnv('TEST_APP_DATABASE_URL');
  let proxy: DatabaseProxy;
  let test: TestApp;
  let direct: TestApp;
  let tenant: MessagingTenant;
  let baseUrl: string;
  let stream: SseStream | undefined;

  beforeAll(async () => {
    proxy = await startDatabaseProxy(appUrl);
    test = await startTestApp({
      APP_DATABASE_URL: proxy.through(appUrl),
      LISTEN_DATABASE_URL: proxy.through(appUrl),
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(test.app.getHttpServer().address() as { port: number }).port}`;
    // Another replica, reaching the database directly: it keeps writing while the first is cut off.
    direct = await startTestApp();
    tenant = await createMessagingTenant(direct);
  }, 60_000);

  afterEach(async () => {
    jest.restoreAllMocks();
    stream?.close();
    stream = undefined;
    await proxy.restore();
  });

  afterAll(async () => {
    await test.close();
    await direct.close();
    await proxy.close();
  });

  const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  };

  const expectDatabaseUnavailable = (what: string, response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, ms: number) => {
    expect({ what, status: response.statusCode, contentType: response.headers['content-type'] }).toEqual({
      what,
      status: 503,
      contentType: 'application/problem+json; charset=utf-8',
    });
    expect(response.json()).toMatchObject({
      type: 'https://retract.dev/problems/database-unavailable',
      title: expect.any(String),
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
    });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect({ what, withinTimeout: ms < CONNECT_TIMEOUT_MS + SLACK_MS }).toEqual({ what, withinTimeout: true });
  };

  const requests = () => {
    const { alice } = tenant.users;
    return {
      readiness: () => test.request({ method: 'GET', url: '/readyz' }),
      send: () =>
        test.request({
          method: 'POST',
          url: `/api/v1/conversations/${tenant.direct}/messages`,
          token: alice.token,
          payload: { type: 'TEXT', body: 'during the outage' },
        }),
      recall: () => test.request({ method: 'POST', url: `/api/v1/messages/${recallable}/recall`, token: alice.token, payload: {} }),
      list: () => test.request({ method: 'GET', url: '/api/v1/conversations', token: alice.token }),
      login: () => test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenant.slug, email: alice.email, password: PASSWORD } }),
    };
  };
  let recallable = '';

  async function untilReady(timeoutMs = 20_000): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < timeoutMs) {
      if ((await test.request({ method: 'GET', url: '/readyz' })).statusCode === 200) return performance.now() - started;
      await sleep(100);
    }
    throw new Error(`not ready again within ${timeoutMs} ms`);
  }

  it('answers every request with a 503 problem and Retry-After at once while the server is gone, and recovers by itself', async () => {
    recallable = await sendText(test, tenant.users.alice, tenant.direct, 'to recall later');
    expect((await test.request({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    await proxy.cut();
    for (const [what, request] of Object.entries(requests())) {
      const { result, ms } = await timed(request);
      expectDatabaseUnavailable(what, result, ms);
    }

    await proxy.restore();
    await untilReady();
    const recalled = await requests().recall();
    expect(recalled.statusCode).toBe(200);
    expect((await requests().send()).statusCode).toBe(201);
  }, 60_000);

  it('answers within the connection timeout when connections are accepted but never answered', async () => {
    await proxy.blackhole();
    for (const what of ['readiness', 'send', 'list'] as const) {
      const { result, ms } = await timed(requests()[what]);
      expectDatabaseUnavailable(what, result, ms);
    }
    await proxy.restore();
    await untilReady();
    expect((await requests().send()).statusCode).toBe(201);
  }, 60_000);

  it('survives a connection that the server terminates between two statements of a transaction (57P01, as in a fast shutdown)', async () => {
    const owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    await owner.connect();
    try {
      const outcome = await direct.app
        .get(TenantDb)
        .sql({ tenantId: tenant.id }, async (tx) => {
          const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await owner.query('SELECT pg_terminate_backend($1)', [pid]);
          // The server's FATAL arrives while no statement of ours is running.
          await sleep(300);
          await tx.$queryRaw`SELECT 1`;
        })
        .then(
          () => 'committed',
          (error: unknown) => (isDatabaseUnavailable(error) ? 'database unavailable' : String(error)),
        );
      expect(outcome).toBe('database unavailable');
      expect((await direct.request({ method: 'GET', url: '/api/v1/conversations', token: tenant.users.alice.token })).statusCode).toBe(200);
    } finally {
      await owner.end();
    }
  });

  it('logs the lost listener once, its return once and nothing else, and an open event stream gets what was written meanwhile', async () => {
    const { alice, bob } = tenant.users;
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const errors = jest.spyOn(Logger.prototype, 'error');
    const notes = jest.spyOn(Logger.prototype, 'log');
    stream = await openStream(baseUrl, bob.token);
    expect(stream.status).toBe(200);
    const before = await sendText(direct, alice, tenant.direct, 'the stream is live');
    await stream.next((event) => event.event === 'message.created' && event.json.data.messageId === before, 15_000);

    await proxy.cut();
    // Written through the other replica while this one hears nothing.
    const during = await sendText(direct, alice, tenant.direct, 'written while the first replica was cut off');
    await sleep(3000);
    await proxy.restore();
    await untilReady();
    const after = await sendText(direct, alice, tenant.direct, 'written after it came back');

    await stream.next((event) => event.event === 'message.created' && event.json.data.messageId === during, 15_000);
    await stream.next((event) => event.event === 'message.created' && event.json.data.messageId === after, 15_000);
    const lines = (spy: jest.SpyInstance) => spy.mock.calls.map((call) => (typeof call[0] === 'string' ? call[0] : JSON.stringify(call)));
    // The stream's fan-out failed meanwhile too: that is the outage again, not worth a line of its own.
    expect(lines(warnings)).toEqual([expect.stringMatching(/^listener connection lost/)]);
    expect(lines(errors)).toEqual([]);
    expect(lines(notes).filter((line) => /listen/i.test(line))).toEqual([expect.stringMatching(/^listening again after/)]);
  }, 60_000);

  it('stops without a word about the listener; once the database is away, says so once and stops promptly', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const listenerWarnings = () => warnings.mock.calls.map((call) => String(call[0])).filter((line) => /listen/i.test(line));
    // Its own proxy: cutting it leaves the other app alone, so every line counted here is this app's.
    const ownProxy = await startDatabaseProxy(appUrl);
    const viaProxy = {
      APP_DATABASE_URL: ownProxy.through(appUrl),
      LISTEN_DATABASE_URL: ownProxy.through(appUrl),
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    };
    const connected = await startTestApp(viaProxy);
    await connected.close();
    await sleep(500);
    expect(listenerWarnings()).toEqual([]);

    const stranded = await startTestApp(viaProxy);
    await ownProxy.cut();
    while (listenerWarnings().length === 0) await sleep(50);
    const { ms } = await timed(() => stranded.close());
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    await sleep(1500);
    expect(listenerWarnings()).toEqual([expect.stringMatching(/^listener connection lost/)]);
    await ownProxy.close();
  }, 60_000);
});
