import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  createDb,
  createSqlPool,
  inTenant,
  inTenantSql,
  type Db,
  type SqlPool,
  type SqlTx,
  type TenantScope,
  type TenantTxOptions,
  type Tx,
} from '@retract/db';
import { CONFIG, type Config } from '../../config/config';
import { ChangeFeed } from './change-feed';
import { DatabaseHealth } from './database-health';
import { DB, SQL_POOL } from './database.tokens';

export { DB, SQL_POOL };

/**
 * The only way request code reaches tenant data: one transaction with the tenant set for RLS and,
 * when the scope names the caller's session, that session checked in the same first statement.
 */
@Injectable()
export class TenantDb {
  constructor(
    @Inject(DB) readonly db: Db,
    @Inject(SQL_POOL) readonly pool: SqlPool,
  ) {}

  /** A Prisma interactive transaction: for everything but the hot write paths. */
  run<T>(scope: TenantScope, work: (tx: Tx) => Promise<T>, options?: TenantTxOptions): Promise<T> {
    return inTenant(this.db, scope, work, options);
  }

  /** A plain `pg` transaction (raw SQL only, fewest round trips): recall, send, re-edit, receipts. */
  sql<T>(scope: TenantScope, work: (tx: SqlTx) => Promise<T>): Promise<T> {
    return inTenantSql(this.pool, scope, work);
  }
}

@Injectable()
class DbLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SQL_POOL) private readonly pool: SqlPool,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.db.$disconnect(), this.pool.end()]);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DB,
      inject: [CONFIG],
      useFactory: (config: Config) =>
        createDb({
          connectionString: config.APP_DATABASE_URL,
          maxConnections: config.DB_POOL_SIZE,
          applicationName: 'retract-api',
          connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
        }),
    },
    {
      provide: SQL_POOL,
      inject: [CONFIG],
      useFactory: (config: Config) =>
        createSqlPool({
          connectionString: config.APP_DATABASE_URL,
          maxConnections: config.SQL_POOL_SIZE,
          applicationName: 'retract-api',
          connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
        }),
    },
    TenantDb,
    ChangeFeed,
    DatabaseHealth,
    DbLifecycle,
  ],
  exports: [DB, SQL_POOL, TenantDb, ChangeFeed, DatabaseHealth],
})
export class DatabaseModule {}
