import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createDb, inTenant, type Db, type TenantScope, type TenantTxOptions, type Tx } from '@retract/db';
import { CONFIG, type Config } from '../../config/config';

export const DB = Symbol('DB');

/** The only way request code reaches tenant data: one transaction with the tenant set for RLS. */
@Injectable()
export class TenantDb {
  constructor(@Inject(DB) readonly db: Db) {}

  run<T>(scope: TenantScope, work: (tx: Tx) => Promise<T>, options?: TenantTxOptions): Promise<T> {
    return inTenant(this.db, scope, work, options);
  }
}

@Injectable()
class DbLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DB) private readonly db: Db) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.$disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DB,
      inject: [CONFIG],
      useFactory: (config: Config) => createDb({ connectionString: config.APP_DATABASE_URL, maxConnections: config.DB_POOL_SIZE, applicationName: 'retract-api' }),
    },
    TenantDb,
    DbLifecycle,
  ],
  exports: [DB, TenantDb],
})
export class DatabaseModule {}
