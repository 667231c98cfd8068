import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tools/runtime/src/ports';

/**
 * A PostgreSQL server of the scenario's own, which it may stop and start (the shared DATABASE_URL
 * server must stay up for everyone else): Debian's binaries (PG_BIN, else the newest
 * /usr/lib/postgresql/<version>/bin), a throwaway data directory, trust authentication on 127.0.0.1.
 * As root the server runs as the `postgres` OS user, as PostgreSQL requires.
 */
export interface PostgresServer {
  /** Superuser URL of `database` on this server. */
  url(database?: string): string;
  readonly port: number;
  /** Fast shutdown (clients are disconnected with 57P01, as in a restart), waiting until it is down. */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export function postgresBinaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL server binaries not found: apt-get install postgresql (or set PG_BIN to the directory holding pg_ctl)');
  return join(root, newest, 'bin');
}

/** Runs a command as the `postgres` OS user when we are root (PostgreSQL refuses to run as root); without blocking the event loop. */
export function runAsPostgres(command: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const child = asRoot ? spawn('runuser', ['-u', 'postgres', '--', command, ...args]) : spawn(command, args);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => (status === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${status}): ${output.trim()}`))));
  });
}

/** A temporary directory the `postgres` OS user owns (when we are root). */
export function postgresOwnedDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  return dir;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  const dir = postgresOwnedDir('retract-pg-');
  const data = join(dir, 'data');
  const port = await freePort();
  await runAsPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  let running = false;
  const server: PostgresServer = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=100`;
      await runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
      running = true;
    },
    async stop() {
      await runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    async dispose() {
      if (running) await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
