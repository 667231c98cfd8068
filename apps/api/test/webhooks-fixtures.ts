import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookResolver } from '../src/modules/webhooks/webhook-targets';
import type { TestApp } from './test-app';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verdict: string;
}

/**
 * A real receiver on a loopback address, as an integrator would write it: recompute the HMAC over
 * the raw body and the signed timestamp, compare in constant time, refuse timestamps more than
 * 300 s from its own clock (replays). It answers with the statuses queued in `replies` (then 200);
 * a 3xx points elsewhere on itself, so a followed redirect would show up in `received`.
 */
export class Receiver {
  server!: Server;
  port = 0;
  url = '';
  secret = '';
  now = () => Math.floor(Date.now() / 1000);
  replies: number[] = [];
  received: Received[] = [];

  constructor(private readonly host = '127.0.0.1') {}

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const verdict = this.verify(String(req.headers['retract-signature'] ?? ''), body);
        this.received.push({ headers: req.headers, body, verdict });
        const status = verdict !== 'ok' ? 400 : (this.replies.shift() ?? 200);
        res.writeHead(status, { 'content-type': 'text/plain', ...(status >= 300 && status < 400 ? { location: `${this.url}/moved` } : {}) }).end(verdict);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${this.host}:${this.port}/hooks/retract`;
  }

  verify(header: string, body: string): string {
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    if (!match) return 'malformed';
    const expected = createHmac('sha256', this.secret).update(`${match[1]}.${body}`).digest();
    if (!timingSafeEqual(expected, Buffer.from(match[2], 'hex'))) return 'bad signature';
    if (Math.abs(this.now() - Number(match[1])) > 300) return 'stale timestamp (replay?)';
    return 'ok';
  }

  /** Sends a captured delivery again, as an attacker who recorded it would. */
  replay(captured: Received): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        this.url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'retract-signature': String(captured.headers['retract-signature']) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(captured.body);
    });
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port on `host` that nothing listens on (it was just released). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Answers the webhook resolver's DNS questions for the names `answer` knows (undefined: ask the
 * real DNS), as a zone the test controls would; restore with `mockRestore()`.
 */
export function stubDns(test: TestApp, answer: (hostname: string) => string[] | undefined) {
  const resolver = test.app.get(WebhookResolver);
  const real = resolver.resolve.bind(resolver);
  return jest.spyOn(resolver, 'resolve').mockImplementation(async (hostname) => answer(hostname) ?? real(hostname));
}
