import { Client } from 'pg';

class StartupError extends Error {
  readonly startup = true;
}

/**
 * Connects once before serving: an unreachable database, a role that Row Level Security
 * would not bind (superuser, BYPASSRLS), or an active key-encryption key that a rotation has
 * retired (docs/keys.md, "Rotation") stops the API with one clear line.
 */
export async function createConnection(connectionString: string, activeKekId: string): Promise<void> {
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
    await refuseRetiredKek(client, activeKekId);
  } finally {
    await client.end();
  }
}

/**
 * A retired KEK was meant to be destroyed: wrapping new keys under it again would make them readable
 * to whoever kept a copy, and a later rotation would refuse it anyway.
 */
async function refuseRetiredKek(client: Client, activeKekId: string): Promise<void> {
  const { rows } = await client.query<{ replaced_by: string; retired_at: Date }>('SELECT replaced_by, retired_at FROM kek_retirements WHERE kek_id = $1', [
    activeKekId,
  ]);
  const retired = rows[0];
  if (!retired) return;
  throw new StartupError(
    `AUDIT_KEK_ID: the key-encryption key "${activeKekId}" was retired on ${retired.retired_at.toISOString()} (replaced by "${retired.replaced_by}"); configure the active KEK "${retired.replaced_by}" (or a new one) as AUDIT_KEK_ID and remove "${activeKekId}" from AUDIT_KEKS (docs/keys.md, "Rotation")`,
  );
}
