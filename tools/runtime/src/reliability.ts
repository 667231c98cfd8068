import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedDemo } from '../../../prisma/seed/demo';
import { dropDatabase } from './database';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';
import { ROOT, assertReachableByPostgres } from './stack';
import { addCounts, countsLine, prepareTestDatabase, runBrowserTests, runJest, type Counts } from './test-runs';

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

/** Specs of other projects rerun here with more cases; each is included once it exists. */
const API_SPECS = ['apps/api/test/openapi-fuzz.e2e-spec.ts', 'apps/api/test/isolation-matrix.e2e-spec.ts'];
const BROWSER_SPECS = ['apps/console/e2e/live-delivery.e2e.ts'];

/** Case counts: a CI run stays short; a run by hand goes deeper. Each can be set in the environment. */
const scale = {
  SOAK_SECONDS: process.env.SOAK_SECONDS ?? (ci ? '60' : '600'),
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? (ci ? '100' : '1000'),
  BROWSER_REPEAT: process.env.RELIABILITY_BROWSER_REPEAT ?? (ci ? '1' : '3'),
};

async function databaseServer(): Promise<{ url: string; embedded?: EmbeddedServer; dataDir?: string }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const dataDir = join(mkdtempSync(join(tmpdir(), 'retract-reliability-pg-')), 'postgres');
  assertReachableByPostgres([join(dataDir, '..'), join(require.resolve('embedded-postgres'), '..')]);
  const embedded = await startEmbeddedPostgres({ dataDir, port: 54349, password: randomBytes(18).toString('base64url'), persistent: false });
  return { url: embedded.url('postgres'), embedded, dataDir };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    log(`== ${label}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function main(): Promise<number> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const server = await databaseServer();
  log(server.embedded ? 'reliability scenarios on an embedded PostgreSQL' : 'reliability scenarios on the DATABASE_URL server');
  log(`scale: SOAK_SECONDS=${scale.SOAK_SECONDS} FUZZ_RUNS=${scale.FUZZ_RUNS} browser repeat ${scale.BROWSER_REPEAT}${ci ? ' (CI)' : ''}`);
  try {
    const scenarioEnv = { ...process.env, DATABASE_URL: server.url, SOAK_SECONDS: scale.SOAK_SECONDS, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') };
    if (!rerunsOnly) {
      addCounts(
        totals,
        await timed('scenarios', () =>
          runJest(scenarioEnv, ['-c', 'reliability/jest.config.js', ...jestArgs], { outputFile: join(ROOT, 'tmp', 'reliability-results.json'), maxWorkers: 1 }),
        ),
      );
    }
    if (jestArgs.length === 0) addCounts(totals, await rerunWithMoreCases(server.url));
  } finally {
    await server.embedded?.stop();
    if (server.dataDir) rmSync(join(server.dataDir, '..'), { recursive: true, force: true });
  }
  log('');
  log(countsLine(totals));
  return totals.failed > 0 ? 1 : 0;
}

/** The API's fuzz and isolation specs with more cases, and the live-delivery browser test repeated, on one test database. */
async function rerunWithMoreCases(serverUrl: string): Promise<Counts> {
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const apiSpecs = API_SPECS.filter((spec) => existsSync(join(ROOT, spec)));
  const browserSpecs = BROWSER_SPECS.filter((spec) => existsSync(join(ROOT, spec)));
  for (const missing of [...API_SPECS, ...BROWSER_SPECS].filter((spec) => !existsSync(join(ROOT, spec)))) log(`(${missing} does not exist yet: not run)`);
  if (apiSpecs.length === 0 && browserSpecs.length === 0) return totals;
  const { database, env } = await prepareTestDatabase(serverUrl, log);
  try {
    if (apiSpecs.length > 0) {
      addCounts(
        totals,
        await timed(`API specs, FUZZ_RUNS=${scale.FUZZ_RUNS}`, () =>
          runJest({ ...env, FUZZ_RUNS: scale.FUZZ_RUNS }, ['--selectProjects', 'api', '--runTestsByPath', ...apiSpecs], { outputFile: join(ROOT, 'tmp', 'reliability-api-results.json') }),
        ),
      );
    }
    if (browserSpecs.length > 0) {
      await seedDemo(database.appUrl, undefined, { auditKek: env.AUDIT_KEK });
      addCounts(totals, await timed('live delivery in the browser', () => runBrowserTests(env, database.appUrl, log, [...browserSpecs, `--repeat-each=${scale.BROWSER_REPEAT}`, '--retries=0'])));
    }
  } finally {
    if (process.env.KEEP_TEST_DATABASE !== 'true') await dropDatabase(database.ownerUrl).catch(() => undefined);
  }
  return totals;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`reliability run failed: ${(error as Error).stack ?? error}\n`);
    log('0 passed, 1 failed');
    process.exit(1);
  },
);
