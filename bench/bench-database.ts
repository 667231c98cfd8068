import { randomBytes } from 'node:crypto';
import { withDatabase } from '../tools/runtime/src/database';
import { prepareDatabase, type PreparedDatabase } from '../tools/runtime/src/stack';

/**
 * A benchmark's database `name`, migrated, with fresh role passwords: on DATABASE_URL's server when
 * set, else on an embedded PostgreSQL of its own on `embeddedPort` (each benchmark has its own port,
 * so two can run side by side). Dropping or stopping it stays with the benchmark.
 */
export function prepareBenchDatabase(name: string, embeddedPort: number): Promise<PreparedDatabase> {
  const server = process.env.DATABASE_URL;
  return prepareDatabase({
    databaseUrl: server ? withDatabase(server, name) : undefined,
    database: name,
    secrets: { APP_DB_PASSWORD: randomBytes(12).toString('hex'), EMBEDDED_PG_PASSWORD: randomBytes(12).toString('hex') },
    embeddedPort,
    log: () => undefined,
  });
}
