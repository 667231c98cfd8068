import { createHash, randomBytes, type Hash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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
/**
 * The environment of an API run as operators run it, on `appUrl` as the least-privilege app role, with
 * fresh secrets: production mode, so background jobs (pending sweep, checkpoints) run as they do in service.
 */
export function productionApiEnv(appUrl: string, port: number, settings: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: undefined,
    APP_DATABASE_URL: appUrl,
    API_PORT: String(port),
    API_HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEK: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    // Benchmarks and the soak load the API from one address: they measure capacity, not the per-address request limit.
    RATE_LIMIT_REQUESTS_PER_MINUTE: '1000000',
    ...settings,
  };
}

export function startApi(env: NodeJS.ProcessEnv, quiet = false, nodeFlags: string[] = []): Managed {
  return startProcess('api', process.execPath, [...nodeFlags, '-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
    quiet,
  });
}

const CONSOLE_DIR = join(ROOT, 'apps/console');
/** Where `buildConsole` records what a build was made from (next to Next's own BUILD_ID). */
const BUILD_INPUTS_FILE = 'retract-build-inputs.json';

/**
 * What the console's production build is made from: its sources, the libraries it bundles
 * (libs/audit-log through its browser entry), the TypeScript settings, the installed dependencies.
 */
const CONSOLE_INPUTS = [CONSOLE_DIR, 'libs/contracts/src', 'libs/authz/src', 'libs/audit-log/src', 'tsconfig.base.json', 'package-lock.json'].map((path) =>
  resolve(ROOT, path),
);

/**
 * Not inputs of the build: next-env.d.ts is written by `next build` itself and names the dist dir, so
 * a build for `npm test` (.next-test) rewrites it under the build of `npm start` (.next); tests, docs,
 * test output and dot-directories (the builds themselves) cannot change what is served.
 */
function isBuildInput(name: string, isDirectory: boolean): boolean {
  if (name.startsWith('.')) return !isDirectory && name.startsWith('.env');
  if (isDirectory) return !['node_modules', 'e2e', 'test-results', 'playwright-report'].includes(name);
  return name !== 'next-env.d.ts' && !/\.(spec|test)\.tsx?$|\.md$|^(jest|playwright)\.config\./.test(name);
}

function hashInputs(hash: Hash, path: string): void {
  if (!statSync(path).isDirectory()) {
    const content = readFileSync(path);
    hash.update(`${relative(ROOT, path)}\0${content.length}\0`).update(content);
    return;
  }
  const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) if (isBuildInput(entry.name, entry.isDirectory())) hashInputs(hash, join(path, entry.name));
}

/**
 * A digest of the console build's inputs: contents, not modification times, so that checking out,
 * copying or touching files — or `next build` rewriting next-env.d.ts — does not force a rebuild.
 * NEXT_PUBLIC_* variables are inlined into the bundle at build time, so they count too.
 */
export function consoleBuildInputs(env: NodeJS.ProcessEnv = process.env, inputs: string[] = CONSOLE_INPUTS): string {
  const hash = createHash('sha256');
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))) if (name.startsWith('NEXT_PUBLIC_')) hash.update(`${name}=${value}\0`);
  for (const input of inputs) hashInputs(hash, input);
  return hash.digest('hex');
}

const distDirOf = (env: NodeJS.ProcessEnv) => join(CONSOLE_DIR, env.CONSOLE_DIST_DIR ?? '.next');

/**
 * The console is served from a production build, rebuilt only when what it is made from changed
 * (see consoleBuildInputs), or when it was built for another API address (Next fixes rewrites at
 * build time). Each dist dir (`.next` for npm start, `.next-test` for npm test) records its own inputs.
 */
export function consoleBuildIsCurrent(env: NodeJS.ProcessEnv): boolean {
  const distDir = distDirOf(env);
  if (!existsSync(join(distDir, 'BUILD_ID'))) return false;
  try {
    const manifest = JSON.parse(readFileSync(join(distDir, 'routes-manifest.json'), 'utf8')) as { rewrites?: { beforeFiles?: { destination: string }[] } };
    const destination = manifest.rewrites?.beforeFiles?.[0]?.destination ?? '';
    if (env.API_INTERNAL_URL && !destination.startsWith(`${env.API_INTERNAL_URL}/`)) return false;
    const recorded = JSON.parse(readFileSync(join(distDir, BUILD_INPUTS_FILE), 'utf8')) as { inputs?: string };
    return recorded.inputs === consoleBuildInputs(env);
  } catch {
    return false;
  }
}

export async function buildConsole(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  log('building the console (first start, or its sources changed)...');
  // Taken before the build: a source edited while it runs makes the next start build again.
  const inputs = consoleBuildInputs(env);
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
  writeFileSync(join(distDirOf(env), BUILD_INPUTS_FILE), `${JSON.stringify({ inputs })}\n`);
}

/** The console's own server (apps/console/server.ts): Next's production handler, recording the connecting address for the API. */
export function startConsole(env: NodeJS.ProcessEnv, port: number, quiet = false): Managed {
  return startProcess('console', process.execPath, ['-r', '@swc-node/register', join(CONSOLE_DIR, 'server.ts')], {
    cwd: CONSOLE_DIR,
    env: { ...env, PORT: String(port), CONSOLE_HOST: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
    quiet,
  });
}

export { stopProcess, waitForHttp };
