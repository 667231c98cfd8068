import { Inject, Injectable } from '@nestjs/common';
import type { SqlPool } from '@retract/db';
import { CONFIG, type Config } from '../../config/config';
import { ChangeFeed } from './change-feed';
import { SQL_POOL } from './database.tokens';

/**
 * Readiness as far as the database goes: a round trip on the request pool within the connection
 * timeout, and the change feed listening (without it caches are off and other replicas' events
 * are not heard, so this replica should not take traffic).
 */
@Injectable()
export class DatabaseHealth {
  constructor(
    @Inject(SQL_POOL) private readonly pool: SqlPool,
    private readonly feed: ChangeFeed,
    @Inject(CONFIG) private readonly config: Pick<Config, 'DB_CONNECT_TIMEOUT_MS'>,
  ) {}

  /** Why this replica should not take traffic now, or undefined when it may. */
  async unavailableBecause(): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('The database did not answer in time.'), this.config.DB_CONNECT_TIMEOUT_MS);
    });
    const roundTrip = this.pool.query('SELECT 1').then(
      () => undefined,
      () => 'The database is not reachable.',
    );
    const answer = await Promise.race([roundTrip, timeout]).finally(() => clearTimeout(timer));
    if (answer) return answer;
    if (!this.feed.listening) return 'The database is reachable but this server is not yet listening for its notifications.';
    return undefined;
  }
}
