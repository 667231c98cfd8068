import type { Db, Tx } from './client';

/** The tenant a unit of work belongs to; taken from a verified token, never from a request body. */
export interface TenantScope {
  readonly tenantId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantTxOptions {
  timeoutMs?: number;
  isolationLevel?: 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
}

/**
 * Runs `work` in one transaction whose `app.tenant_id` is the scope's tenant. The setting is
 * transaction-local (`set_config(..., true)`), so a pooled connection never carries it into
 * another request, and Row Level Security sees no rows at all outside such a transaction.
 */
export async function inTenant<T>(db: Db, scope: TenantScope, work: (tx: Tx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  if (!UUID.test(scope.tenantId)) throw new Error('tenant scope requires a tenant id');
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${scope.tenantId}, true)`;
      return work(tx);
    },
    { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000, isolationLevel: options.isolationLevel },
  );
}
