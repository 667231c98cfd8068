import { discardAfterCommit, runAfterCommit } from './after-commit';
import type { Db, Tx } from './client';

/** A signed-in caller's session, checked inside each of the caller's transactions (`app_enter`). */
export interface SessionCheck {
  readonly id: string;
  readonly userId: string;
  readonly roles: readonly string[];
}

/** The tenant a unit of work belongs to; taken from a verified token, never from a request body. */
export interface TenantScope {
  readonly tenantId: string;
  /** Set for request work: the transaction fails with SessionEndedError unless this session is still live with these roles. */
  readonly session?: SessionCheck;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantTxOptions {
  timeoutMs?: number;
  isolationLevel?: 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
}

/** The caller's session ended (logout, expiry, deactivation) or its roles changed since the request was authorised. */
export class SessionEndedError extends Error {
  constructor() {
    super('the session has ended or its roles changed');
    this.name = 'SessionEndedError';
  }
}

/** SQLSTATE raised by `app_enter` (prisma/migrations/20261202180000_write_path.sql). */
export const SESSION_ENDED_SQLSTATE = 'RT401';

export function isSessionEnded(error: unknown): boolean {
  // pg reports the SQLSTATE as `code`; Prisma wraps it (meta.driverAdapterError.cause.originalCode, or the message).
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 12; i++) {
    const e = seen[i] as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null;
    if (!e || typeof e !== 'object') continue;
    if (e.code === SESSION_ENDED_SQLSTATE || e.originalCode === SESSION_ENDED_SQLSTATE) return true;
    if (typeof e.message === 'string' && e.message.includes(SESSION_ENDED_SQLSTATE)) return true;
    seen.push(e.cause, e.meta?.driverAdapterError);
  }
  return false;
}

export function assertTenantScope(scope: TenantScope): void {
  if (!UUID.test(scope.tenantId)) throw new Error('tenant scope requires a tenant id');
}

/** Parameters of `app_enter(tenant, session, user, roles)` for a scope. */
export function enterParameters(scope: TenantScope): [string, string | null, string | null, string[] | null] {
  const { session } = scope;
  return [scope.tenantId, session?.id ?? null, session?.userId ?? null, session ? [...session.roles].sort() : null];
}

/**
 * Runs `work` in one transaction whose `app.tenant_id` is the scope's tenant. The setting is
 * transaction-local (`set_config(..., true)`), so a pooled connection never carries it into
 * another request, and Row Level Security sees no rows at all outside such a transaction.
 * The same first statement checks the caller's session when the scope names one.
 */
export async function inTenant<T>(db: Db, scope: TenantScope, work: (tx: Tx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  assertTenantScope(scope);
  const [tenantId, sessionId, userId, roles] = enterParameters(scope);
  let committedTx: Tx | undefined;
  try {
    const result = await db.$transaction(
      async (tx) => {
        committedTx = tx;
        await tx.$executeRaw`SELECT app_enter(${tenantId}::uuid, ${sessionId}::uuid, ${userId}::uuid, ${roles}::text[])`;
        return work(tx);
      },
      { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000, isolationLevel: options.isolationLevel },
    );
    await runAfterCommit(committedTx!);
    return result;
  } catch (error) {
    if (committedTx) discardAfterCommit(committedTx);
    if (isSessionEnded(error)) throw new SessionEndedError();
    throw error;
  }
}
