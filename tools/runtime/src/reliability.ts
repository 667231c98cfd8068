import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ProcessTree } from '../../../bench/run-all';
import { seedDemo } from '../../../prisma/seed/demo';
import { dropDatabase, withDatabase } from './database';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { stopAllProcesses } from './processes';
import { ROOT, assertReachableByPostgres, type PreparedDatabase } from './stack';
import { addCounts, countsLine, prepareTestDatabase, runBrowserTests, runJest, runTestCommand, type CommandRun, type Counts } from './test-runs';

/**
 * `npm run test:reliability` (docs/reliability.md): the reliability scenarios (reliability/*.reliability.ts,
 * one at a time, each on its own throwaway database of the DATABASE_URL server, or of an embedded
 * PostgreSQL started here), then the property and matrix specs of the API at higher case counts and
 * the console's live-delivery browser test. Ends with `N passed, N failed` like `npm test`.
 *
 *   npm run test:reliability                 everything
 *   npm run test:reliability -- crash        only the scenarios whose file matches (Jest arguments)
 *   npm run test:reliability -- --reruns     only the reruns of the API specs and the browser test
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const rerunsOnly = process.argv.includes('--reruns');
const jestArgs = process.argv.slice(2).filter((arg) => arg !== '--reruns');
const ci = process.env.CI === 'true';
const keepDatabases = process.env.KEEP_TEST_DATABASE === 'true';

/** Specs of other projects rerun here with more cases; each is included once it exists. */
const API_SPECS = ['apps/api/test/openapi-fuzz.e2e-spec.ts', 'apps/api/test/isolation-matrix.e2e-spec.ts'];
const BROWSER_SPECS = ['apps/console/e2e/live-delivery.e2e.ts'];

/** Case counts: a CI run stays short; a run by hand goes deeper. Each can be set in the environment. */
const scale = {
  SOAK_SECONDS: process.env.SOAK_SECONDS ?? (ci ? '60' : '600'),
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? (ci ? '100' : '1000'),
  BROWSER_REPEAT: process.env.RELIABILITY_BROWSER_REPEAT ?? (ci ? '1' : '3'),
};

/** Names this run's scenario databases (reliability/support/product.ts), so what a scenario leaves behind can be found. */
const RUN = randomBytes(3).toString('hex');
/** Every process this run starts, also those that leave their parent (a PostgreSQL a scenario starts with pg_ctl). */
const processes = new ProcessTree(process.pid).watch();
const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
let server: { url: string; embedded?: EmbeddedServer; dataDir?: string } | undefined;
let testDatabase: PreparedDatabase | undefined;
const run: CommandRun = { interrupted: false };
/** The embedded PostgreSQL's processes (when the run started one): they stay until the end. */
let serverProcesses = new Set<number>();

async function databaseServer(): Promise<NonNullable<typeof server>> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const dir = mkdtempSync(join(tmpdir(), 'retract-reliability-pg-'));
  try {
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must enter it
    assertReachableByPostgres([dir, join(require.resolve('embedded-postgres'), '..')]);
    const dataDir = join(dir, 'postgres');
    const embedded = await startEmbeddedPostgres({ dataDir, port: 54349, password: randomBytes(18).toString('base64url'), persistent: false });
    return { url: embedded.url('postgres'), embedded, dataDir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    log(`== ${label}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

/** Stops this run's processes other than `keep` (SIGTERM, SIGKILL after 3 s); resolves those it found. */
async function stopStrays(keep: Set<number>): Promise<{ pid: number; command: string }[]> {
  processes.snapshot();
  const strays = () => processes.alive().filter((p) => !keep.has(p.pid));
  const found = strays();
  const signal = (sig: NodeJS.Signals) => {
    for (const { pid } of strays()) {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone meanwhile */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 3000;
  while (strays().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  signal('SIGKILL');
  return found;
}

/** Databases of this run's scenarios still on the server: dropped, and named. */
async function dropScenarioDatabases(serverUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`retract\\_reliability\\_${RUN}\\_%`]);
    for (const { datname } of rows) await dropDatabase(withDatabase(serverUrl, datname));
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

/**
 * A part of the run must leave nothing behind: processes started during it that still run are
 * stopped, its scenario databases dropped, and each counts as a failure.
 */
async function leftBehind(running: Set<number>, serverUrl: string): Promise<Counts> {
  const strays = await stopStrays(running);
  for (const stray of strays) log(`left running: pid ${stray.pid} ${stray.command} (stopped)`);
  const databases = keepDatabases ? [] : await dropScenarioDatabases(serverUrl);
  for (const name of databases) log(`left behind: database ${name} (dropped)`);
  return { passed: 0, failed: strays.length + databases.length, skipped: 0 };
}

/** After an interruption the stop handler cleans up and reports; the run itself goes no further. */
class Interrupted extends Error {}
const unlessInterrupted = <T>(value: T): T => {
  if (run.interrupted) throw new Interrupted();
  return value;
};

async function main(): Promise<number> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  server = await databaseServer();
  processes.snapshot();
  serverProcesses = new Set(processes.alive().map((p) => p.pid));
  log(server.embedded ? 'reliability scenarios on an embedded PostgreSQL' : 'reliability scenarios on the DATABASE_URL server');
  log(`scale: SOAK_SECONDS=${scale.SOAK_SECONDS} FUZZ_RUNS=${scale.FUZZ_RUNS} browser repeat ${scale.BROWSER_REPEAT}${ci ? ' (CI)' : ''}`);
  try {
    const scenarioEnv = {
      ...process.env,
      DATABASE_URL: server.url,
      RELIABILITY_RUN: RUN,
      SOAK_SECONDS: scale.SOAK_SECONDS,
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
    };
    if (!rerunsOnly) {
      processes.snapshot();
      const running = new Set(processes.alive().map((p) => p.pid));
      const scenarios = await timed('scenarios', () =>
        runJest(scenarioEnv, ['-c', 'reliability/jest.config.js', ...jestArgs], { outputFile: join(ROOT, 'tmp', 'reliability-results.json'), maxWorkers: 1 }),
      );
      addCounts(totals, unlessInterrupted(scenarios));
      addCounts(totals, await leftBehind(running, server.url));
    }
    if (jestArgs.length === 0) addCounts(totals, unlessInterrupted(await rerunWithMoreCases(server.url)));
  } finally {
    await releaseServer();
  }
  log('');
  log(countsLine(totals));
  return totals.failed > 0 ? 1 : 0;
}

let released: Promise<void> | undefined;
/** Stops the embedded server (when the run started one) and removes its data: once, at the end or on a stop. */
const releaseServer = () =>
  (released ??= (async () => {
    await server?.embedded?.stop();
    if (server?.dataDir) rmSync(join(server.dataDir, '..'), { recursive: true, force: true });
  })());

/** The API's fuzz and isolation specs with more cases, and the live-delivery browser test repeated, on one test database. */
async function rerunWithMoreCases(serverUrl: string): Promise<Counts> {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  const apiSpecs = API_SPECS.filter((spec) => existsSync(join(ROOT, spec)));
  const browserSpecs = BROWSER_SPECS.filter((spec) => existsSync(join(ROOT, spec)));
  for (const missing of [...API_SPECS, ...BROWSER_SPECS].filter((spec) => !existsSync(join(ROOT, spec)))) log(`(${missing} does not exist yet: not run)`);
  if (apiSpecs.length === 0 && browserSpecs.length === 0) return counts;
  const { database, env } = await prepareTestDatabase(serverUrl, log);
  testDatabase = database;
  try {
    if (apiSpecs.length > 0) {
      const specs = await timed(`API specs, FUZZ_RUNS=${scale.FUZZ_RUNS}`, () =>
        runJest({ ...env, FUZZ_RUNS: scale.FUZZ_RUNS }, ['--selectProjects', 'api', '--runTestsByPath', ...apiSpecs], {
          outputFile: join(ROOT, 'tmp', 'reliability-api-results.json'),
        }),
      );
      addCounts(counts, unlessInterrupted(specs));
    }
    if (browserSpecs.length > 0) {
      await seedDemo(database.appUrl, undefined, { auditKek: env.AUDIT_KEK });
      addCounts(
        counts,
        await timed('live delivery in the browser', () =>
          runBrowserTests(env, database.appUrl, log, [...browserSpecs, `--repeat-each=${scale.BROWSER_REPEAT}`, '--retries=0']),
        ),
      );
    }
  } finally {
    if (!keepDatabases) await dropDatabase(database.ownerUrl).catch(() => undefined);
    testDatabase = undefined;
  }
  return counts;
}

// Stopped: stop Jest, the browser run and every process a scenario started, and drop this run's databases.
runTestCommand({
  what: 'reliability run',
  run,
  totals,
  log,
  main,
  stop: async () => {
    await stopAllProcesses();
    await stopStrays(serverProcesses);
    if (server && !keepDatabases) {
      await dropScenarioDatabases(server.url).catch(() => undefined);
      if (testDatabase) await dropDatabase(testDatabase.ownerUrl).catch(() => undefined);
    }
    await releaseServer().catch(() => undefined);
    await processes.stopLeftovers();
  },
});
