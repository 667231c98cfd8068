import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../../prisma/seed/demo';
import { dropDatabase, withDatabase } from './database';
import { startProcess } from './processes';
import { ROOT, buildConsole, consoleBuildIsCurrent, prepareDatabase, startApi, startConsole, stopProcess, waitForHttp } from './stack';

/**
 * `npm test`: a fresh database (on DATABASE_URL's server, or an embedded PostgreSQL), then every
 * Jest project (unit and integration), then the browser tests against a running API and console.
 * Prints one closing line `N passed, N failed` and exits non-zero when anything failed.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'jest' : args.includes('--browser') ? 'browser' : 'all';
const jestArgs = args.filter((a) => !a.startsWith('--unit') && !a.startsWith('--browser'));

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

async function runJest(env: NodeJS.ProcessEnv): Promise<Counts> {
  const output = join(ROOT, 'tmp', 'jest-results.json');
  const jest = startProcess('jest', process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--maxWorkers=2', '--json', `--outputFile=${output}`, ...jestArgs], {
    cwd: ROOT,
    // @fastify/cookie loads the ESM-only `cookie` package with import(), which Jest's VM allows only with this flag.
    env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() },
    quiet: false,
  });
  const code = await jest.exited;
  if (!existsSync(output)) return { passed: 0, failed: 1, skipped: 0 };
  const result = JSON.parse(readFileSync(output, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numRuntimeErrorTestSuites: number };
  return {
    passed: result.numPassedTests,
    failed: result.numFailedTests + result.numRuntimeErrorTestSuites + (code !== 0 && result.numFailedTests === 0 && result.numRuntimeErrorTestSuites === 0 ? 1 : 0),
    skipped: result.numPendingTests,
  };
}

async function runBrowserTests(env: NodeJS.ProcessEnv, appUrl: string): Promise<Counts> {
  const apiPort = Number(env.TEST_API_PORT ?? 3101);
  const consolePort = Number(env.TEST_CONSOLE_PORT ?? 3100);
  const consoleEnv = { ...env, API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`, PORT: String(consolePort), CONSOLE_DIST_DIR: env.TEST_CONSOLE_DIST_DIR ?? '.next-test' };
  const api = startApi({ ...env, APP_DATABASE_URL: appUrl, API_PORT: String(apiPort), CONSOLE_ORIGIN: `http://127.0.0.1:${consolePort}`, LOG_LEVEL: 'warn' });
  try {
    if (!consoleBuildIsCurrent(consoleEnv)) await buildConsole(consoleEnv, log);
    const web = startConsole(consoleEnv, consolePort, true);
    try {
      await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`, 60_000, () => api.child.exitCode === null);
      await waitForHttp(`http://127.0.0.1:${consolePort}/login`, 120_000, () => web.child.exitCode === null);
      const output = join(ROOT, 'tmp', 'playwright-results.json');
      const playwright = startProcess('browser', process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'apps/console/playwright.config.ts', '--reporter=list,json'], {
        cwd: ROOT,
        env: { ...env, CONSOLE_URL: `http://127.0.0.1:${consolePort}`, API_URL: `http://127.0.0.1:${apiPort}`, PLAYWRIGHT_JSON_OUTPUT_NAME: output },
      });
      const code = await playwright.exited;
      if (!existsSync(output)) return { passed: 0, failed: 1, skipped: 0 };
      const stats = (JSON.parse(readFileSync(output, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats;
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected + (code !== 0 && stats.unexpected === 0 ? 1 : 0), skipped: stats.skipped };
    } finally {
      await stopProcess(web);
    }
  } finally {
    await stopProcess(api);
  }
}

async function main(): Promise<number> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const name = `retract_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const serverUrl = process.env.DATABASE_URL;
  log(serverUrl ? `test database ${name} on the DATABASE_URL server` : `test database ${name} on an embedded PostgreSQL`);
  const database = await prepareDatabase({
    databaseUrl: serverUrl ? withDatabase(serverUrl, name) : undefined,
    database: name,
    secrets: { APP_DB_PASSWORD: randomBytes(18).toString('base64url'), EMBEDDED_PG_PASSWORD: randomBytes(18).toString('base64url') },
    embeddedPort: 54339,
    log,
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: undefined,
    TEST_OWNER_DATABASE_URL: database.ownerUrl,
    TEST_APP_DATABASE_URL: database.appUrl,
    APP_DATABASE_URL: database.appUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEK: randomBytes(32).toString('base64'),
    SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
  };
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (counts: Counts) => {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  };
  try {
    if (only !== 'browser') add(await runJest(env));
    if (only !== 'jest') {
      await seedDemo(database.appUrl, undefined, { auditKek: env.AUDIT_KEK });
      add(await runBrowserTests(env, database.appUrl));
    }
  } finally {
    if (process.env.KEEP_TEST_DATABASE !== 'true') await dropDatabase(database.ownerUrl).catch(() => undefined);
    await database.embedded?.stop();
  }
  log('');
  log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  return totals.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`test run failed: ${(error as Error).stack ?? error}\n`);
    log('0 passed, 1 failed');
    process.exit(1);
  },
);
