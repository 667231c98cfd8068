import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiForwarder, endToEndHeaders } from './api-forwarder';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(handler: Handler, port = 0): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (taken, then freed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startConsole(apiPort: number, headersTimeoutMs?: number) {
  const lines: string[] = [];
  const forward = createApiForwarder({ apiUrl: `http://127.0.0.1:${apiPort}`, log: (line) => lines.push(line), headersTimeoutMs });
  const port = await listen(forward);
  return { url: `http://127.0.0.1:${port}`, lines };
}

describe('the console’s /api forwarder', () => {
  it('answers 503 with a problem document and logs one line while the API is down, and one when it is back', async () => {
    const apiPort = await freePort();
    const { url, lines } = await startConsole(apiPort);
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${url}/api/v1/me`);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(await answer.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', title: 'The API is unreachable', instance: '/api/v1/me' });
    }
    expect(lines).toEqual([`console: the API at http://127.0.0.1:${apiPort} is unreachable (ECONNREFUSED); /api answers 503 until it is back`]);

    await listen((_, response) => response.end('{}'), apiPort);
    expect((await fetch(`${url}/api/v1/me`)).status).toBe(200);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`console: the API at http://127.0.0.1:${apiPort} answers again`);
  });

  it('forwards method, path, query, body and end-to-end headers both ways, with every Set-Cookie', async () => {
    let seen: { method?: string; url?: string; body: string; headers: IncomingMessage['headers'] } | undefined;
    const apiPort = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen = { method: request.method, url: request.url, body, headers: request.headers };
        response.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'x-request-id': 'r-1' });
        response.end('{"ok":true}');
      });
    });
    const { url } = await startConsole(apiPort);
    const answer = await fetch(`${url}/api/v1/users?q=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: '__Host-retract_session=s', 'sec-fetch-site': 'same-origin' },
      body: '{"name":"n"}',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(answer.headers.get('x-request-id')).toBe('r-1');
    expect(await answer.json()).toEqual({ ok: true });
    expect(seen).toMatchObject({ method: 'POST', url: '/api/v1/users?q=x', body: '{"name":"n"}' });
    expect(seen?.headers).toMatchObject({ cookie: '__Host-retract_session=s', 'sec-fetch-site': 'same-origin', host: `127.0.0.1:${apiPort}` });
    expect(seen?.headers['x-forwarded-host']).toBe(new URL(url).host);
  });

  it('streams an answer as it comes (an event stream) and ends the API request when the browser leaves', async () => {
    let apiRequestClosed!: () => void;
    const closed = new Promise<void>((resolve) => (apiRequestClosed = resolve));
    const apiPort = await listen((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ready\ndata: {}\n\n');
      request.socket.on('close', () => apiRequestClosed());
    });
    const { url } = await startConsole(apiPort);
    const first = await new Promise<string>((resolve, reject) => {
      const request = get(`${url}/api/v1/events`, (response) => {
        response.once('data', (chunk: Buffer) => {
          resolve(chunk.toString());
          request.destroy();
        });
      });
      request.on('error', reject);
    });
    expect(first).toBe('event: ready\ndata: {}\n\n');
    await expect(closed).resolves.toBeUndefined();
  });

  it('answers 504 when the API does not start answering in time', async () => {
    const apiPort = await listen(() => undefined);
    const { url, lines } = await startConsole(apiPort, 200);
    const answer = await fetch(`${url}/api/v1/me`);
    expect(answer.status).toBe(504);
    expect(await answer.json()).toMatchObject({ status: 504, code: 'SERVICE_UNAVAILABLE' });
    expect(lines).toHaveLength(1);
  });

  it('keeps no hop-by-hop header, nor one its Connection header names', () => {
    expect(
      endToEndHeaders({ connection: 'keep-alive, x-private', 'keep-alive': 'timeout=5', 'x-private': '1', 'transfer-encoding': 'chunked', accept: 'a' }),
    ).toEqual({
      accept: 'a',
    });
  });
});
