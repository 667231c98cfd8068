import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { sqlAutocommit, type SqlPool } from '@retract/db';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { SQL_POOL } from '../../common/database/database.tokens';
import { CONFIG, type Config } from '../../config/config';
import { expireKeys } from './idempotency-keys';

/** Hourly, every replica deletes Idempotency-Keys past IDEMPOTENCY_KEY_TTL_HOURS (reads already ignore them). */
@Injectable()
export class IdempotencyKeyExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyKeyExpiry');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(SQL_POOL) private readonly pool: SqlPool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NODE_ENV === 'test') return;
    this.timer = setInterval(
      () => void this.runOnce().catch((error: unknown) => logBackgroundFailure(this.logger, 'error', 'idempotency key expiry failed', error)),
      3_600_000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  runOnce(): Promise<number> {
    return expireKeys(sqlAutocommit(this.pool), this.config.IDEMPOTENCY_KEY_TTL_HOURS);
  }
}
