import type { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../problem/problem.filter';
import { ProblemException } from '../problem/problem';

/** Where a client stands in its current window, as the RateLimit headers tell it. */
export interface RateLimitStanding {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the client has `limit` requests again (at least 1). */
  resetSeconds: number;
}

/**
 * Fixed windows per key, in this process's memory: a client's window opens with its first request
 * and admits `limit` requests until it ends. Windows that ended are dropped once per window length,
 * so memory follows the clients of the last window only.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  hit(key: string, now: number): RateLimitStanding {
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.count < this.limit;
    if (allowed) window.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return { allowed, limit: this.limit, remaining: this.limit - window.count, resetSeconds };
  }

  /** Clients with an open window (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < this.windowMs) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

export const RATE_LIMIT_WINDOW_SECONDS = 60;

/**
 * Every request counts against its client address's budget of RATE_LIMIT_REQUESTS_PER_MINUTE on this
 * API process (the address as TRUST_PROXY_HOPS resolves it). Every answer says where the client
 * stands (RateLimit-Limit, -Remaining, -Reset, -Policy of the IETF RateLimit header fields draft);
 * past the budget the answer is 429 TOO_MANY_REQUESTS with Retry-After (docs/architecture.md,
 * "Request rate limit"). It runs before authentication, so a flood of bad tokens is limited too.
 */
export function useRequestRateLimit(fastify: FastifyInstance, requestsPerMinute: number, logger: Logger, clock: () => number = Date.now): void {
  const limiter = new FixedWindowLimiter(requestsPerMinute, RATE_LIMIT_WINDOW_SECONDS * 1000);
  const policy = `${requestsPerMinute};w=${RATE_LIMIT_WINDOW_SECONDS}`;
  fastify.addHook('onRequest', async (request, reply) => {
    const standing = limiter.hit(request.ip, clock());
    void reply
      .header('ratelimit-policy', policy)
      .header('ratelimit-limit', String(standing.limit))
      .header('ratelimit-remaining', String(standing.remaining))
      .header('ratelimit-reset', String(standing.resetSeconds));
    if (standing.allowed) return;
    const refusal = new ProblemException({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      detail: `More than ${standing.limit} requests in ${RATE_LIMIT_WINDOW_SECONDS} seconds from this address. Try again in ${standing.resetSeconds} second(s).`,
      retryAfter: standing.resetSeconds,
    });
    sendProblem(reply, request, refusal, logger);
    return reply;
  });
}
