import type { Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@retract/db';

/**
 * Logs background work that failed (a job pass, a fan-out, a batch), except while the database is
 * away: the change feed logs that outage once, and the work is retried when it is back, so one
 * line per pass would only bury it (docs/architecture.md "Database outages").
 */
export function logBackgroundFailure(logger: Logger, level: 'warn' | 'error', what: string, error: unknown, context: Record<string, unknown> = {}): void {
  if (isDatabaseUnavailable(error)) {
    logger.debug(`${what}: the database is unavailable; retried when it is back`);
    return;
  }
  logger[level]({ ...context, err: error instanceof Error ? error.message : String(error) }, what);
}
