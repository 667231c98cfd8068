import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createDatabaseIfMissing, enableAppRole, migrate, withDatabase } from './database';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { startProcess, stopProcess, waitForHttp, type Managed } from './processes';
import type { LocalSecrets } from './secrets';

export const ROOT = resolve(__dirname, '..', '..', '..');

export interface PreparedDatabase {
  ownerUrl: string;
  appUrl: string;
  embedded?: EmbeddedServer;
  createdNow: boolean;
}

/** PostgreSQL must be able to reach its data directory through every parent (it runs as `postgres` when we are root). */
function traversableByOthers(dir: string): boolean {
  let current = resolve(dir);
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must reach both its binaries (in
 * node_modules) and its data directory through every parent directory.
 */
export function assertReachableByPostgres(dirs: string[]): void {
  if (process.getuid?.() !== 0) return;
  const blocked = dirs.filter((dir) => !traversableByOthers(dir));
  if (blocked.length === 0) return;
  throw new Error(
    `PostgreSQL runs as the "postgres" user and cannot enter ${blocked.join(' and ')} (a parent directory lacks o+x). ` +
      'Allow it (e.g. chmod o+x on each parent directory of the checkout), or set DATABASE_URL to a PostgreSQL server.',
  );
}

export async function prepareDatabase(options: {
  databaseUrl?: string;
  appDatabaseUrl?: string;
  database: string;
  secrets: Pick<LocalSecrets, 'APP_DB_PASSWORD' | 'EMBEDDED_PG_PASSWORD'>;
  embeddedDataDir?: string;
  embeddedPort?: number;
  log: (line: string) => void;
}): Promise<PreparedDatabase> {
  let embedded: EmbeddedServer | undefined;
  let ownerUrl: string;
  if (options.databaseUrl) {
    ownerUrl = options.databaseUrl;
  } else {
    const persistent = Boolean(options.embeddedDataDir);
    const dataDir = options.embeddedDataDir ?? join(mkdtempSync(join(tmpdir(), 'retract-pg-')), 'postgres');
    if (!persistent) chmodSync(dirname(dataDir), 0o755);
    assertReachableByPostgres([dirname(dataDir), dirname(require.resolve('embedded-postgres'))]);
    embedded = await startEmbeddedPostgres({ dataDir, port: options.embeddedPort ?? 54329, password: options.secrets.EMBEDDED_PG_PASSWORD, persistent });
    ownerUrl = embedded.url(options.database);
  }
  ownerUrl = options.databaseUrl ? ownerUrl : withDatabase(ownerUrl, options.database);
  const createdNow = await createDatabaseIfMissing(ownerUrl);
  migrate(ownerUrl);
  const appUrl = options.appDatabaseUrl ?? (await enableAppRole(ownerUrl, options.secrets.APP_DB_PASSWORD));
  return { ownerUrl, appUrl, embedded, createdNow };
}

/** `nodeFlags` go to node itself (e.g. `--cpu-prof` for a benchmark's profile). */
export function startApi(env: NodeJS.ProcessEnv, quiet = false, nodeFlags: string[] = []): Managed {
  return startProcess('api', process.execPath, [...nodeFlags, '-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
    quiet,
  });
}

const CONSOLE_DIR = join(ROOT, 'apps/console');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'test-results' || entry.name === 'playwright-report') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The console is served from a production build, rebuilt only when its sources (or the shared
 * libraries) changed, or when it was built for another API address (Next fixes rewrites at build time).
 */
export function consoleBuildIsCurrent(env: NodeJS.ProcessEnv): boolean {
  const distDir = join(CONSOLE_DIR, env.CONSOLE_DIST_DIR ?? '.next');
  const buildId = join(distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  try {
    const manifest = JSON.parse(readFileSync(join(distDir, 'routes-manifest.json'), 'utf8')) as { rewrites?: { beforeFiles?: { destination: string }[] } };
    const destination = manifest.rewrites?.beforeFiles?.[0]?.destination ?? '';
    if (env.API_INTERNAL_URL && !destination.startsWith(`${env.API_INTERNAL_URL}/`)) return false;
  } catch {
    return false;
  }
  const built = statSync(buildId).mtimeMs;
  // The console bundles these libraries (libs/audit-log through its browser entry).
  return [CONSOLE_DIR, join(ROOT, 'libs/contracts/src'), join(ROOT, 'libs/authz/src'), join(ROOT, 'libs/audit-log/src')].every((dir) => newestMtime(dir) <= built);
}

export async function buildConsole(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  log('building the console (first start, or its sources changed)...');
  const build = startProcess('console-build', process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: CONSOLE_DIR,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    quiet: true,
    onLine: (line) => {
      if (/error|✓ Compiled/i.test(line)) log(`  ${line.trim()}`);
    },
  });
  const code = await build.exited;
  if (code !== 0) throw new Error('console build failed: run `npx next build` in apps/console to see why');
}

export function startConsole(env: NodeJS.ProcessEnv, port: number, quiet = false): Managed {
  return startProcess('console', process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: CONSOLE_DIR,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    quiet,
  });
}

export { stopProcess, waitForHttp };
