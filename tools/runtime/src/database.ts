import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

export const APP_ROLE = 'retract_app';
const ROOT = join(__dirname, '..', '..', '..');

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function createDatabaseIfMissing(ownerUrl: string): Promise<boolean> {
  const name = databaseName(ownerUrl);
  return withClient(withDatabase(ownerUrl, 'postgres'), async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  });
}

export async function dropDatabase(ownerUrl: string): Promise<void> {
  const name = databaseName(ownerUrl);
  await withClient(withDatabase(ownerUrl, 'postgres'), (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/**
 * dbmate's binary: shipped for Linux x64 as an npm package; elsewhere a `dbmate` on PATH
 * (https://github.com/amacneil/dbmate#installation) is used.
 */
function dbmateBinary(): string {
  try {
    return require.resolve('@dbmate/linux-x64/bin/dbmate');
  } catch {
    return 'dbmate';
  }
}

/** Applies prisma/migrations with dbmate as the owner role (the schema of record is SQL). */
export function migrate(ownerUrl: string): void {
  const url = new URL(ownerUrl);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  const result = spawnSync(dbmateBinary(), ['--migrations-dir', join(ROOT, 'prisma', 'migrations'), '--no-dump-schema', '--wait', 'up'], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`dbmate is not available (${result.error.message}); on this platform install dbmate and put it on PATH`);
  if (result.status !== 0) throw new Error(`migrations failed: ${(result.stderr || result.stdout || '').trim()}`);
}

/**
 * Lets the least-privilege app role log in with `password` and returns its connection URL.
 * The role itself (NOSUPERUSER, NOBYPASSRLS, owning nothing) is created by the first migration.
 */
export async function enableAppRole(ownerUrl: string, password: string): Promise<string> {
  await withClient(ownerUrl, async (client) => {
    const escaped = password.replace(/'/g, "''");
    await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD '${escaped}'`);
    await client.query(`GRANT CONNECT ON DATABASE ${quoteIdent(databaseName(ownerUrl))} TO ${APP_ROLE}`);
  });
  return appRoleUrl(ownerUrl, password);
}

/** The owner's URL as the least-privilege app role with `password` (what `npm start` gives the API). */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = encodeURIComponent(password);
  url.searchParams.delete('sslmode');
  return url.toString();
}

export async function isEmpty(appOrOwnerUrl: string): Promise<boolean> {
  return withClient(appOrOwnerUrl, async (client) => {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tenants'");
    if (Number(rows[0].n) === 0) return true;
    const { rows: tenants } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_proc WHERE proname = 'tenant_id_for_slug'");
    if (Number(tenants[0].n) === 0) return true;
    const { rows: found } = await client.query<{ id: string | null }>("SELECT tenant_id_for_slug('acme') AS id");
    return !found[0].id;
  });
}
