import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { IDEMPOTENCY_KEY, retryingFetch, type RetryingFetchOptions } from './retrying-fetch';

interface Received {
  method: string;
  url: string;
  key: string | undefined;
  body: string;
}

type Reply = (response: ServerResponse, request: IncomingMessage) => void;

/** A real HTTP server answering each request with the next scripted reply (the last one repeats). */
async function scriptedServer(replies: Reply[]): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        key: request.headers['idempotency-key'] as string | undefined,
        body: Buffer.concat(chunks).toString(),
      });
      replies[Math.min(received.length, replies.length) - 1](response, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const answer =
  (status: number, headers: Record<string, string> = {}, body = '{}'): Reply =>
  (response) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
/** Drops the connection without an answer. */
const hangUp: Reply = (_response, request) => request.socket.destroy();

function client(overrides: Partial<RetryingFetchOptions> = {}) {
  const sleeps: number[] = [];
  let keys = 0;
  const fetch = retryingFetch((request) => globalThis.fetch(request), {
    policy: DEFAULT_RETRY_POLICY,
    keyedOperations: [
      { method: 'POST', path: '/api/v1/recalls' },
      { method: 'POST', path: '/api/v1/things/{id}/undo' },
    ],
    newIdempotencyKey: () => `key-${++keys}`,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    now: () => Date.UTC(2026, 0, 1),
    random: () => 0.5,
    ...overrides,
  });
  return { fetch, sleeps };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('retryingFetch', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends a keyed operation again after 503 and 429 as Retry-After says, with one key and the same body on every attempt', async () => {
    server = await scriptedServer([
      answer(503, { 'retry-after': '2' }),
      answer(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }),
      answer(201, {}, '{"seq":7}'),
    ]);
    const { fetch, sleeps } = client();
    const response = await fetch(post(`${server.url}/api/v1/recalls`, { reason: 'typo' }));
    expect(response.status).toBe(201);
    await expect(response.json()).resolves.toEqual({ seq: 7 });
    expect(sleeps).toEqual([2000, 5000]);
    expect(server.received.map((r) => r.key)).toEqual(['key-1', 'key-1', 'key-1']);
    expect(new Set(server.received.map((r) => r.body))).toEqual(new Set(['{"reason":"typo"}']));
  });

  it("keeps the caller's own key", async () => {
    server = await scriptedServer([answer(503), answer(201)]);
    const { fetch } = client();
    await fetch(post(`${server.url}/api/v1/recalls`, {}, { [IDEMPOTENCY_KEY]: 'message-42' }));
    expect(server.received.map((r) => r.key)).toEqual(['message-42', 'message-42']);
  });

  it('sets a key on operations whose path template matches, and on no other', async () => {
    server = await scriptedServer([answer(200)]);
    const { fetch } = client();
    await fetch(post(`${server.url}/api/v1/things/abc/undo`, {}));
    await fetch(post(`${server.url}/api/v1/things/abc/def/undo`, {}));
    await fetch(post(`${server.url}/api/v1/recall-decisions`, {}));
    await fetch(new Request(`${server.url}/api/v1/recalls`));
    expect(server.received.map((r) => [r.method, r.url, r.key])).toEqual([
      ['POST', '/api/v1/things/abc/undo', 'key-1'],
      ['POST', '/api/v1/things/abc/def/undo', undefined],
      ['POST', '/api/v1/recall-decisions', undefined],
      ['GET', '/api/v1/recalls', undefined],
    ]);
  });

  it('hands back the 429 when the server asks for a longer wait than the caller accepts', async () => {
    server = await scriptedServer([answer(429, { 'retry-after': '120' }), answer(201)]);
    const { fetch, sleeps } = client({ policy: { ...DEFAULT_RETRY_POLICY, maxDelayMs: 60_000 } });
    const response = await fetch(post(`${server.url}/api/v1/recalls`, {}));
    expect(response.status).toBe(429);
    expect(sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('gives up after maxAttempts and returns the last answer', async () => {
    server = await scriptedServer([answer(503)]);
    const { fetch, sleeps } = client({ policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 } });
    const response = await fetch(post(`${server.url}/api/v1/recalls`, {}));
    expect(response.status).toBe(503);
    expect(server.received).toHaveLength(3);
    // No Retry-After: full jitter under 250 ms, then 500 ms (random() is 0.5).
    expect(sleeps).toEqual([125, 250]);
  });

  it('does not retry other errors', async () => {
    server = await scriptedServer([answer(500), answer(201)]);
    const { fetch } = client();
    expect((await fetch(post(`${server.url}/api/v1/recalls`, {}))).status).toBe(500);
    expect(server.received).toHaveLength(1);
  });

  it('sends a keyed request again after a dropped connection, but not a request that could act twice', async () => {
    server = await scriptedServer([hangUp, answer(201)]);
    const { fetch } = client();
    expect((await fetch(post(`${server.url}/api/v1/recalls`, {}))).status).toBe(201);
    expect(server.received.map((r) => r.key)).toEqual(['key-1', 'key-1']);

    await server.close();
    server = await scriptedServer([hangUp, answer(201)]);
    await expect(fetch(post(`${server.url}/api/v1/service-accounts`, {}))).rejects.toThrow('fetch failed');
    expect(server.received).toHaveLength(1);
  });
});
