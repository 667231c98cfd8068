import type { AddressInfo } from 'node:net';
import { openStream, type SseStream } from './sse-client';
import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

/** Live event streams per user are capped (EVENT_STREAMS_PER_USER); the one past the cap is refused. */
describe('event stream quota', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let baseUrl: string;
  const streams: SseStream[] = [];

  const open = async (token: string) => {
    const stream = await openStream(baseUrl, token);
    streams.push(stream);
    return stream;
  };
  const refusal = (token: string) => test.request({ method: 'GET', url: '/api/v1/events', token, headers: { accept: 'text/event-stream' } });

  beforeAll(async () => {
    test = await startTestApp({ EVENT_STREAMS_PER_USER: '2' });
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(test.app.getHttpServer().address() as AddressInfo).port}`;
    tenant = await createTenant(test, { admin: ['ADMIN'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] });
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await test.close();
  });

  it("refuses a user's third stream with 429 and Retry-After, counts each user apart, and frees a place when a stream closes", async () => {
    const { alice, bob } = tenant.users;
    const first = await open(alice.token);
    const second = await open(alice.token);
    expect([first.status, second.status]).toEqual([200, 200]);

    const third = await refusal(alice.token);
    expect(third.statusCode).toBe(429);
    expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(third.json().code).toBe('TOO_MANY_REQUESTS');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);

    // The cap is per user: bob is not affected by alice's streams.
    expect((await open(bob.token)).status).toBe(200);
    // Nor are one-off JSON reads of the same endpoint.
    expect((await test.request({ method: 'GET', url: '/api/v1/events', token: alice.token })).statusCode).toBe(200);

    first.close();
    await first.closed;
    // The server learns of the closed connection asynchronously: wait until the place is free.
    const deadline = Date.now() + 5000;
    let reopened = await open(alice.token);
    while (reopened.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reopened = await open(alice.token);
    }
    expect(reopened.status).toBe(200);
  });
});
