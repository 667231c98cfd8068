/**
 * Load generation over HTTP, shared by the recall benchmark and the reliability soak: a closed loop
 * (each client sends its next request as soon as the previous one answered: saturation) and an
 * open loop (requests started on a schedule whatever the latency: the latency users see at a rate).
 */
import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  count: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One unit of work of a client; resolves true when it was answered as expected. */
export type Operation<C> = (client: C) => Promise<boolean>;

export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

export const rateOf = (result: LoadResult) => result.count / result.seconds;

export const describeLoad = (label: string, r: LoadResult, unit = 'recalls') =>
  `${label.padEnd(28)} ${String(r.count).padStart(6)} ${unit} in ${r.seconds.toFixed(2)} s = ${rateOf(r).toFixed(0).padStart(5)} ${unit}/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `   (${r.errors} errors)` : ''}`;

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One JSON request on a keep-alive agent (no fetch: its connection pool is not the one under test). */
export function httpJson(agent: Agent, base: URL, method: string, path: string, token: string | undefined, body?: unknown): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, base),
      {
        method,
        agent,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const post = (agent: Agent, base: URL, path: string, token: string | undefined, body: unknown) => httpJson(agent, base, 'POST', path, token, body);

function summarise(latencies: number[], errors: number, started: number): LoadResult {
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

/** Every client runs `operation` back to back for `seconds`. */
export async function closedLoop<C>(clients: C[], seconds: number, operation: Operation<C>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await operation(client);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  return summarise(latencies, errors, started);
}

/** `rate` operations per second for `seconds`, started on schedule and spread over the clients in turn. */
export async function openLoop<C>(clients: C[], rate: number, seconds: number, operation: Operation<C>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.max(1, Math.floor(rate * seconds));
  const interval = 1000 / rate;
  const started = performance.now();
  const inflight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < total && !failure; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const client = clients[i % clients.length];
    const t0 = performance.now();
    const pending: Promise<void> = operation(client)
      .then(
        (ok) => {
          latencies.push(performance.now() - t0);
          if (!ok) errors += 1;
        },
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => inflight.delete(pending));
    inflight.add(pending);
  }
  await Promise.all(inflight);
  if (failure) throw failure.error;
  return summarise(latencies, errors, started);
}
