import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CONFIG, type Config } from '../../config/config';
import { ProblemException } from '../problem/problem';
import { FixedWindowLimiter, RATE_LIMIT_WINDOW_SECONDS } from '../rate-limit/request-rate-limit';
import type { ServicePrincipal } from './service-accounts';

/**
 * Each service account's request budget on this API process: SERVICE_ACCOUNT_REQUESTS_PER_MINUTE
 * per 60-second window (docs/integration.md, "Limits"). Its answers carry the account's RateLimit
 * headers (in place of the client address's: the account's budget is the one a chat server plans with).
 */
@Injectable()
export class ServiceAccountLimits {
  private readonly limiter: FixedWindowLimiter;
  private readonly policy: string;

  constructor(@Inject(CONFIG) config: Config) {
    this.limiter = new FixedWindowLimiter(config.SERVICE_ACCOUNT_REQUESTS_PER_MINUTE, RATE_LIMIT_WINDOW_SECONDS * 1000);
    this.policy = `${config.SERVICE_ACCOUNT_REQUESTS_PER_MINUTE};w=${RATE_LIMIT_WINDOW_SECONDS}`;
  }

  admit(service: ServicePrincipal, reply: FastifyReply, now = Date.now()): void {
    const standing = this.limiter.hit(service.serviceAccountId, now);
    void reply
      .header('ratelimit-policy', this.policy)
      .header('ratelimit-limit', String(standing.limit))
      .header('ratelimit-remaining', String(standing.remaining))
      .header('ratelimit-reset', String(standing.resetSeconds));
    if (standing.allowed) return;
    throw new ProblemException({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      detail: `More than ${standing.limit} requests in ${RATE_LIMIT_WINDOW_SECONDS} seconds from this service account. Try again in ${standing.resetSeconds} second(s).`,
      retryAfter: standing.resetSeconds,
    });
  }
}
