import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type Db } from '@retract/db';
import { createHash } from 'node:crypto';
import { CONFIG, type Config } from '../../config/config';
import { DB } from '../../common/database/database.module';

const keyOf = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest();

/**
 * Failed logins counted per account and per client address in PostgreSQL, so every replica
 * sees the same counts. Keys are hashes: the table stores no email or address.
 */
@Injectable()
export class LoginThrottle {
  constructor(@Inject(DB) private readonly db: Db, @Inject(CONFIG) private readonly config: Config) {}

  private keys(tenant: string, email: string, ip: string) {
    return [
      { key: keyOf('account', tenant, email), max: this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT },
      { key: keyOf('ip', ip), max: this.config.LOGIN_MAX_FAILURES_PER_IP },
    ];
  }

  /** Seconds the caller must wait before trying again; 0 when an attempt is allowed. */
  waitSeconds(tenant: string, email: string, ip: string): Promise<number> {
    return this.longestWait(tenant, email, ip, 'auth_throttle_wait');
  }

  /** Counts a failure against the account and the address; returns the wait it now imposes. */
  recordFailure(tenant: string, email: string, ip: string): Promise<number> {
    return this.longestWait(tenant, email, ip, 'auth_throttle_fail');
  }

  private async longestWait(tenant: string, email: string, ip: string, fn: 'auth_throttle_wait' | 'auth_throttle_fail'): Promise<number> {
    const window = this.config.LOGIN_THROTTLE_WINDOW_SECONDS;
    let wait = 0;
    for (const { key, max } of this.keys(tenant, email, ip)) {
      const [row] = await this.db.$queryRaw<{ wait: number }[]>(Prisma.sql`SELECT ${Prisma.raw(fn)}(${key}, ${window}::int, ${max}::int) AS wait`);
      wait = Math.max(wait, Number(row?.wait ?? 0));
    }
    return wait;
  }

  async recordSuccess(tenant: string, email: string): Promise<void> {
    await this.db.$executeRaw(Prisma.sql`SELECT auth_throttle_clear(${keyOf('account', tenant, email)})`);
  }
}
