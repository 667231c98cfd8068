import { problemType } from '@retract/contracts';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Headers of one connection, not of the message (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** How long the API may take to start answering (an event stream answers its headers at once, then stays open). */
const HEADERS_TIMEOUT_MS = 30_000;

export interface ApiForwarderOptions {
  /** Where the API is (src/lib/api-origin.ts). */
  apiUrl: string;
  /** One line per change of the API's reachability, never one per request. */
  log?: (line: string) => void;
  headersTimeoutMs?: number;
}

/** The end-to-end headers of a message: the hop-by-hop ones and those its Connection header names are left out. */
export function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/** The RFC 9457 answer when the API cannot be reached (503) or does not start answering in time (504). */
export function unreachableAnswer(status: 503 | 504, instance: string): string {
  const code = 'SERVICE_UNAVAILABLE';
  return JSON.stringify({
    type: problemType(code),
    title: status === 503 ? 'The API is unreachable' : 'The API did not answer in time',
    status,
    detail: 'The console could not reach the Retract API. Try again in a moment.',
    instance,
    code,
  });
}

/**
 * The console's `/api` in production (apps/console/server.ts): every request is streamed to the API
 * as it came (event streams included), with its answer streamed back. When the API is down or does
 * not start answering, the browser gets a problem document (503, or 504 after `headersTimeoutMs`)
 * with Retry-After instead of Next's rewrite proxy's bare 500, and the log gets one line when the API
 * goes away and one when it is back, instead of a stack trace per request.
 */
export function createApiForwarder({ apiUrl, log = (line) => console.error(line), headersTimeoutMs = HEADERS_TIMEOUT_MS }: ApiForwarderOptions) {
  const api = new URL(apiUrl);
  const send = api.protocol === 'https:' ? httpsRequest : httpRequest;
  let reachable = true;

  const wentAway = (reason: string) => {
    if (reachable) log(`console: the API at ${api.origin} is unreachable (${reason}); /api answers 503 until it is back`);
    reachable = false;
  };
  const answered = () => {
    if (!reachable) log(`console: the API at ${api.origin} answers again`);
    reachable = true;
  };

  return function forward(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '/';
    const headers = { ...endToEndHeaders(request.headers), host: api.host, ...(request.headers.host ? { 'x-forwarded-host': request.headers.host } : {}) };
    const upstream = send(new URL(path, api), { method: request.method, headers });
    let failed = false;

    const fail = (status: 503 | 504, reason: string) => {
      if (failed) return;
      failed = true;
      wentAway(reason);
      upstream.destroy();
      if (response.headersSent) return void response.destroy();
      const body = unreachableAnswer(status, path);
      response.writeHead(status, {
        'content-type': 'application/problem+json',
        'retry-after': '5',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    };
    const timer = setTimeout(() => fail(504, `no answer within ${headersTimeoutMs} ms`), headersTimeoutMs);

    upstream.on('response', (answer) => {
      clearTimeout(timer);
      answered();
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.headers));
      answer.pipe(response);
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (failed) return;
      // After the answer began, the browser sees the stream end (an event stream reconnects by itself).
      if (response.headersSent) return void response.destroy();
      fail(503, error.code ?? error.message);
    });
    // The browser left (a closed tab, an event stream given up): so does the request to the API.
    response.on('close', () => {
      clearTimeout(timer);
      if (!response.writableFinished) upstream.destroy();
    });
    request.on('error', () => upstream.destroy());
    request.pipe(upstream);
  };
}
