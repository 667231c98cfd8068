import createClient, { type Client } from 'openapi-fetch';
import { KEYED_OPERATIONS } from './generated/keyed-operations';
import type { paths } from './generated/openapi';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { retryingFetch, type Fetch } from './retrying-fetch';

export interface RetractClientOptions {
  /** Where the API is, without `/api/v1`: `https://retract.example.com`. */
  baseUrl: string;
  /** A service account's token (`rtk_…`) or a signed-in user's access token. */
  token: string;
  retry?: Partial<RetryPolicy>;
  /** The transport; `globalThis.fetch` by default. A host with its own HTTP accessor adapts it here. */
  fetch?: Fetch;
  /** Clock, timer, random draw and key source; replaced only to observe the client. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  newIdempotencyKey?: () => string;
}

export type RetractClient = Client<paths>;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A typed client of every route of the API (openapi-fetch over the generated `paths`), which sends
 * the token, retries 429/503 as the server's Retry-After says and sets an `Idempotency-Key` on the
 * operations that take one (the same key on every attempt of one call).
 */
export function createRetractClient(options: RetractClientOptions): RetractClient {
  const transport = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}` },
    fetch: retryingFetch(transport, {
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      keyedOperations: KEYED_OPERATIONS,
      newIdempotencyKey: options.newIdempotencyKey ?? (() => crypto.randomUUID()),
      sleep: options.sleep ?? wait,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    }),
  });
}
