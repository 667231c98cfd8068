import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../tools/runtime/src/ports';
import { postgresOwnedDir, runAsPostgres } from './postgres-server';
import { sleep } from './report';

/**
 * PgBouncer (Debian's package, PGBOUNCER or /usr/sbin/pgbouncer) in transaction-pooling mode in front
 * of one database, as operators run it: md5 authentication against a generated userlist, its own
 * ini on a free port of 127.0.0.1. It refuses to run as root, so as root it runs as `postgres`.
 */
export interface PgBouncer {
  /** `url` (a role with its password, on the upstream server) as seen through PgBouncer. */
  through(url: string): string;
  /** SHOW STATS of the pooled database: transactions and queries it relayed. */
  stats(): Promise<{ transactions: number; queries: number }>;
  stop(): Promise<void>;
}

export async function startPgBouncer(upstreamUrl: string, users: { name: string; password: string }[]): Promise<PgBouncer> {
  const binary = process.env.PGBOUNCER ?? '/usr/sbin/pgbouncer';
  if (!existsSync(binary)) throw new Error(`${binary} not found: apt-get install pgbouncer (or set PGBOUNCER)`);
  const upstream = new URL(upstreamUrl);
  const database = decodeURIComponent(upstream.pathname.slice(1));
  const statsUser = users[0].name;
  const dir = postgresOwnedDir('retract-pgbouncer-');
  const port = await freePort();
  const pidFile = join(dir, 'pgbouncer.pid');
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  writeFileSync(join(dir, 'userlist.txt'), users.map((user) => `${quote(user.name)} ${quote(user.password)}`).join('\n') + '\n', { mode: 0o644 });
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${database} = host=${upstream.hostname} port=${upstream.port || 5432} dbname=${database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = md5',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 500',
      'default_pool_size = 20',
      `stats_users = ${statsUser}`,
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${pidFile}`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  await runAsPostgres(binary, ['-d', join(dir, 'pgbouncer.ini')]);

  const through = (url: string) => {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(port);
    return parsed.toString();
  };
  const admin = through(`postgres://${encodeURIComponent(statsUser)}:${encodeURIComponent(users[0].password)}@127.0.0.1/pgbouncer`);
  return {
    through,
    async stats() {
      const client = new Client({ connectionString: admin });
      await client.connect();
      try {
        const { rows } = await client.query<{ database: string; total_xact_count: string; total_query_count: string }>('SHOW STATS');
        const row = rows.find((r) => r.database === database);
        return { transactions: Number(row?.total_xact_count ?? 0), queries: Number(row?.total_query_count ?? 0) };
      } finally {
        await client.end();
      }
    },
    async stop() {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
      if (pid) {
        process.kill(pid, 'SIGTERM');
        for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(100);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
