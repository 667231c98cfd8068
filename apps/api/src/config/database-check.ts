import { Client } from 'pg';

class StartupError extends Error {
  readonly startup = true;
}

/**
 * Connects once before serving: an unreachable database, or a role that Row Level Security
 * would not bind (superuser, BYPASSRLS), stops the API with one clear line.
 */
export async function createConnection(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  const client = new Client({ connectionString, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new StartupError(`DATABASE_URL: cannot connect to ${where} (${(error as Error).message})`);
  }
  try {
    const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean; rolname: string }>(
      'SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    const role = rows[0];
    if (role?.rolsuper || role?.rolbypassrls) {
      throw new StartupError(
        `DATABASE_URL: the API must not connect as "${role.rolname}" (superuser or BYPASSRLS bypasses row-level security); use the retract_app role (npm start sets it up) or APP_DATABASE_URL`,
      );
    }
    const { rows: owned } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user AND tablename <> 'schema_migrations'",
    );
    if (Number(owned[0]?.n ?? 0) > 0) {
      throw new StartupError('DATABASE_URL: the API role owns tables; connect as the least-privilege retract_app role instead');
    }
  } finally {
    await client.end();
  }
}
