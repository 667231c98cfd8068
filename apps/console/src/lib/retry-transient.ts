import type { ClientResult } from './client-api';

/** Answers worth asking again: the API or the network was away (500 from the console's proxy, 502, 503, 504), or busy (429). */
export const isTransient = (status: number): boolean => status === 429 || status === 502 || status === 503 || status === 504 || status === 500;

/** Waits before each retry, in ms: about 30 s in all before a message is given up for this page. */
export const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 15000];

/**
 * Calls `attempt` until it answers something other than a transient failure, waiting the given
 * delays in between; the last answer is returned (ok, a lasting refusal such as 404, or the last
 * transient failure). A live event that names a message is only shown once the message is read,
 * so a single failed read must not lose it.
 */
export async function retryTransient<T>(
  attempt: () => Promise<ClientResult<T>>,
  delays: readonly number[] = RETRY_DELAYS_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ClientResult<T>> {
  let result = await attempt();
  for (const delay of delays) {
    if (result.ok || !isTransient(result.status)) return result;
    await sleep(delay);
    result = await attempt();
  }
  return result;
}
