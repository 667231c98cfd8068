/**
 * When the client sends a request again (docs/integration.md, "SDK"). Pure: the clock and the
 * random draw are arguments, so the rules are property-tested.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 never retries. */
  maxAttempts: number;
  /** First backoff ceiling when the answer names no Retry-After; doubles each attempt. */
  baseDelayMs: number;
  /**
   * The longest wait the caller accepts. A Retry-After asking for more is not waited out: the
   * 429/503 is returned, so a caller holding a user's click does not hang for minutes.
   */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 30_000 };

/** 429 (rate limited) and 503 (unavailable, e.g. the database is away): the request was not carried out. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

const DELTA_SECONDS = /^\d+$/;

/**
 * Retry-After (RFC 9110 §10.2.3) in milliseconds from `nowMs`: delta-seconds or an HTTP-date
 * (a date in the past means now). Absent or unreadable: undefined.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (DELTA_SECONDS.test(text)) return Number(text) * 1000;
  // An HTTP-date always names a weekday and GMT; Date.parse alone would also take "1" or "2025".
  if (!/^[A-Za-z]{3}, .* GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The wait before attempt `attempt + 1`, or undefined to stop and hand the last answer back.
 * `attempt` is the number of attempts made so far (≥ 1); `random` is a draw in [0, 1).
 * A server's Retry-After is honoured exactly; without one, exponential backoff with full jitter.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: number): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random * ceiling);
}
