import { RETRYABLE_STATUSES, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy';

export type Fetch = (request: Request) => Promise<Response>;

/** An operation whose OpenAPI description takes an `Idempotency-Key` header. */
export interface KeyedOperation {
  method: string;
  /** OpenAPI path template, e.g. `/api/v1/recalls`. */
  path: string;
}

export interface RetryingFetchOptions {
  policy: RetryPolicy;
  /** Operations that get an `Idempotency-Key` when the caller sets none. */
  keyedOperations: readonly KeyedOperation[];
  newIdempotencyKey: () => string;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export const IDEMPOTENCY_KEY = 'Idempotency-Key';

/** Methods that may be sent again after a lost answer whatever the server does (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** `/api/v1/things/{id}` → a pattern matching `/api/v1/things/<one segment>`. */
function templatePattern(template: string): RegExp {
  const literals = template.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literals.join('[^/]+')}$`);
}

/**
 * Wraps `fetch` so that a request answered 429 or 503 is sent again after the server's Retry-After
 * (or a jittered backoff), up to the policy's attempts; every attempt of one request carries the
 * same `Idempotency-Key`, generated here when the operation takes one and the caller set none, so
 * that a retried recall is recorded once. A request that failed without an answer (connection
 * refused or reset) is sent again only when doing so cannot act twice: an idempotent method or a
 * keyed operation.
 */
export function retryingFetch(base: Fetch, options: RetryingFetchOptions): Fetch {
  const keyed = options.keyedOperations.map((operation) => ({ method: operation.method.toUpperCase(), pattern: templatePattern(operation.path) }));
  const takesKey = (request: Request) => {
    const path = new URL(request.url).pathname;
    return keyed.some((operation) => operation.method === request.method && operation.pattern.test(path));
  };

  return async (request) => {
    let prepared = request;
    if (!request.headers.has(IDEMPOTENCY_KEY) && takesKey(request)) {
      const headers = new Headers(request.headers);
      headers.set(IDEMPOTENCY_KEY, options.newIdempotencyKey());
      prepared = new Request(request, { headers });
    }
    const replaySafe = IDEMPOTENT_METHODS.has(prepared.method) || prepared.headers.has(IDEMPOTENCY_KEY);
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await base(prepared.clone());
      } catch (error) {
        const wait = replaySafe && !prepared.signal.aborted ? retryDelay(options.policy, attempt, undefined, options.random()) : undefined;
        if (wait === undefined) throw error;
        await options.sleep(wait);
        continue;
      }
      if (!RETRYABLE_STATUSES.has(response.status)) return response;
      const wait = retryDelay(options.policy, attempt, parseRetryAfter(response.headers.get('retry-after'), options.now()), options.random());
      if (wait === undefined) return response;
      await response.body?.cancel();
      await options.sleep(wait);
    }
  };
}
