import { Pool, escapeLiteral, types, type PoolClient, type PoolConfig } from 'pg';
import { discardAfterCommit, runAfterCommit } from './after-commit';
import { connectionSettings } from './client';
import { Prisma } from './generated/prisma/client';
import { SessionEndedError, assertTenantScope, enterParameters, isSessionEnded, type TenantScope } from './tenant-scope';

/**
 * The raw-SQL surface shared by a Prisma interactive transaction and a plain `pg` transaction:
 * store modules written against it run on either (hot paths use `pg`, the rest Prisma). On a `pg`
 * transaction (inTenantSql) statements issued without awaiting the one before go out together and
 * run in the order issued: the hot paths send independent statements so, one round trip for all.
 */
export interface SqlTx {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
}

const INT8 = types.builtins.INT8;

/** bigint columns read as BigInt, as Prisma reads them, so store code behaves the same on both. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === (INT8 as number)) return (value: string) => BigInt(value);
    return types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

export type SqlPool = Pool;

export function createSqlPool(options: { connectionString: string; maxConnections?: number; applicationName?: string; connectTimeoutMs?: number }): SqlPool {
  const config: PoolConfig = {
    ...connectionSettings(options.connectTimeoutMs),
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'retract',
    types: pgTypes,
  };
  // Pipelined connections (pg's `pipeline`): a statement is written without waiting for the answer to
  // the one before, so a transaction's opening and its first statement share one round trip (inTenantSql).
  const pool = new Pool({ ...config, pipeline: true });
  // An idle connection that the server closed (restart, failover) is dropped from the pool; the next checkout opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

function toQuery(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): { text: string; values: unknown[] } {
  const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));
  return { text: sql.text, values: sql.values };
}

class PgSqlTx implements SqlTx {
  constructor(private readonly client: Pick<PoolClient, 'query'>) {}

  async $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
    const { text, values: params } = toQuery(query, values);
    return (await this.client.query(text, params)).rows as T;
  }

  async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number> {
    const { text, values: params } = toQuery(query, values);
    return (await this.client.query(text, params)).rowCount ?? 0;
  }
}

/** One statement outside any transaction (autocommit), through the same surface. */
export function sqlAutocommit(pool: SqlPool): SqlTx {
  return new PgSqlTx(pool);
}

/** The connection's socket (pg keeps it on `connection.stream`), to send several messages in one write. */
function socketOf(client: PoolClient): { cork(): void; uncork(): void } | undefined {
  const stream = (client as unknown as { connection?: { stream?: { cork?: unknown; uncork?: unknown } } }).connection?.stream;
  return stream && typeof stream.cork === 'function' && typeof stream.uncork === 'function' ? (stream as { cork(): void; uncork(): void }) : undefined;
}

const sqlText = (value: string | null) => (value === null ? 'NULL' : escapeLiteral(value));

/**
 * BEGIN and `app_enter` as one simple-protocol query: one round trip instead of two on every
 * transaction. The values are written as escaped literals (simple queries take no parameters).
 */
export function beginTenantSql(scope: TenantScope): string {
  const [tenantId, sessionId, userId, roles] = enterParameters(scope);
  const roleArray = roles === null ? 'NULL' : `ARRAY[${roles.map(sqlText).join(', ')}]`;
  return `BEGIN; SELECT app_enter(${sqlText(tenantId)}::uuid, ${sqlText(sessionId)}::uuid, ${sqlText(userId)}::uuid, ${roleArray}::text[])`;
}

/**
 * `inTenant` on a plain `pg` connection: BEGIN with `app_enter` (tenant + session check) in one
 * round trip, the work, COMMIT — the fewest round trips a tenant transaction can take. Used by the
 * hot write paths.
 */
export async function inTenantSql<T>(pool: SqlPool, scope: TenantScope, work: (tx: SqlTx) => Promise<T>): Promise<T> {
  assertTenantScope(scope);
  const client = await pool.connect();
  // pg-pool listens for errors only on idle connections: one that dies between two statements of this
  // transaction (server restart, 57P01) would otherwise be an unhandled 'error' event that ends the process.
  // Its next statement fails instead, and the pool drops it on release.
  const ignoreLoss = () => undefined;
  client.on('error', ignoreLoss);
  const tx = new PgSqlTx(client);
  let result!: T;
  // The opening goes out with the work's first statement, in one write and one round trip: the server
  // runs them in order, and when `app_enter` refuses, the transaction is aborted before anything else
  // runs, so the work's statements fail too and the refusal is what the caller sees.
  const stream = socketOf(client);
  stream?.cork();
  const entered = client.query(beginTenantSql(scope)).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  if (stream) process.nextTick(() => stream.uncork());
  try {
    let failed: { error: unknown } | undefined;
    try {
      result = await work(tx);
    } catch (error) {
      failed = { error };
    }
    const refused = await entered;
    if (refused) throw refused.error;
    if (failed) throw failed.error;
    await client.query('COMMIT');
  } catch (error) {
    discardAfterCommit(tx);
    const broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    client.removeListener('error', ignoreLoss);
    client.release(broken);
    if (isSessionEnded(error)) throw new SessionEndedError();
    throw error;
  }
  client.removeListener('error', ignoreLoss);
  client.release();
  await runAfterCommit(tx);
  return result;
}
