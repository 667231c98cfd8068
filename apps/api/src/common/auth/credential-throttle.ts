import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type Db } from '@retract/db';
import { createHash } from 'node:crypto';
import { CONFIG, type Config } from '../../config/config';
import { DB } from '../database/database.module';
import { ProblemException } from '../problem/problem';

const keyOf = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest();

/** 429 with Retry-After for an attempt the throttle refused. */
export const tooManyAttempts = (what: string, wait: number) =>
  new ProblemException({
    status: 429,
    code: 'TOO_MANY_REQUESTS',
    detail: `Too many failed ${what} attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`,
    retryAfter: wait,
  });

interface Limit {
  key: Buffer;
  max: number;
}

/**
 * Attempts at a secret (a login's password, the platform operator token) counted in PostgreSQL, so
 * every replica sees the same counts. Keys are hashes: the table stores no email or address. An
 * attempt is counted before its secret is checked, in one statement for all its keys
 * (auth_throttle_attempt), so concurrent attempts cannot all slip under the limit; a success gives
 * it back (docs/architecture.md, "Authentication").
 */
@Injectable()
export class CredentialThrottle {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** A login attempt: 0 when its password may be checked, else the seconds to wait (nothing was counted). */
  loginAttempt(tenant: string, email: string, address: string): Promise<number> {
    return this.attempt([
      { key: accountKey(tenant, email), max: this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT },
      { key: loginAddressKey(address), max: this.config.LOGIN_MAX_FAILURES_PER_IP },
    ]);
  }

  /** The account starts afresh; the address gets this attempt back (its limit counts failures). */
  loginSucceeded(tenant: string, email: string, address: string): Promise<void> {
    return this.succeeded([accountKey(tenant, email)], [loginAddressKey(address)]);
  }

  /** An attempt at the platform operator token from one address. */
  platformTokenAttempt(address: string): Promise<number> {
    return this.attempt([{ key: platformAddressKey(address), max: this.config.PLATFORM_TOKEN_MAX_FAILURES_PER_IP }]);
  }

  platformTokenAccepted(address: string): Promise<void> {
    return this.succeeded([], [platformAddressKey(address)]);
  }

  private async attempt(limits: Limit[]): Promise<number> {
    const [row] = await this.db.$queryRaw<{ wait: number }[]>(
      Prisma.sql`SELECT auth_throttle_attempt(${limits.map((l) => l.key)}::bytea[], ${limits.map((l) => l.max)}::int[], ${this.config.LOGIN_THROTTLE_WINDOW_SECONDS}::int) AS wait`,
    );
    return Number(row?.wait ?? 0);
  }

  private async succeeded(reset: Buffer[], refund: Buffer[]): Promise<void> {
    await this.db.$executeRaw(Prisma.sql`SELECT auth_throttle_succeeded(${reset}::bytea[], ${refund}::bytea[])`);
  }
}

const accountKey = (tenant: string, email: string) => keyOf('account', tenant, email);
const loginAddressKey = (address: string) => keyOf('ip', address);
const platformAddressKey = (address: string) => keyOf('platform-token', address);
