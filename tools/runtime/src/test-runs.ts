import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, withDatabase } from './database';
import { onStopRequest, startProcess } from './processes';
import { ROOT, buildConsole, consoleBuildIsCurrent, prepareDatabase, startApi, startConsole, stopProcess, waitForHttp, type PreparedDatabase } from './stack';

/**
 * The pieces `npm test` and `npm run test:reliability` share: a throwaway test database with the
 * environment the Jest projects read, a Jest run, and the browser tests against a running API and console.
 */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export const addCounts = (totals: Counts, counts: Counts): void => {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
};

export const countsLine = (totals: Counts): string => `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;

/** Whether the command was asked to stop: the run itself then goes no further, the stop reports. */
export interface CommandRun {
  interrupted: boolean;
}

/**
 * Runs a test command to its exit code. Stopped (Ctrl-C, a signal to npm's pid, npm gone), it runs
 * `stop` (end what the command started, drop its databases) and fails with the counts finished
 * before the signal: an interrupted run never reads as passed.
 */
export function runTestCommand(command: {
  /** How the closing lines name the run: 'tests', 'reliability run'. */
  what: string;
  run: CommandRun;
  totals: Counts;
  log: (line: string) => void;
  main: () => Promise<number>;
  stop: () => Promise<unknown>;
}): void {
  const { what, run, totals, log } = command;
  onStopRequest((reason) => {
    run.interrupted = true;
    const counted = { ...totals };
    log('');
    log(`stopping the ${what} (${reason})...`);
    void command
      .stop()
      .catch(() => undefined)
      .finally(() => {
        addCounts(counted, { passed: 0, failed: 1, skipped: 0 });
        log(`interrupted before the ${what} finished`);
        log(countsLine(counted));
        process.exit(130);
      });
  });
  // When interrupted, the stop above finishes the cleanup and exits.
  command.main().then(
    (code) => {
      if (!run.interrupted) process.exit(code);
    },
    (error) => {
      if (run.interrupted) return;
      process.stderr.write(`${what} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}

/**
 * A fresh database on `serverUrl` (or on an embedded PostgreSQL when unset) and the environment the
 * tests read: owner and app connections, fresh JWT and key-encryption secrets.
 */
export async function prepareTestDatabase(
  serverUrl: string | undefined,
  log: (line: string) => void,
  embeddedPort = 54339,
): Promise<{ database: PreparedDatabase; env: NodeJS.ProcessEnv }> {
  const name = `retract_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  log(serverUrl ? `test database ${name} on the DATABASE_URL server` : `test database ${name} on an embedded PostgreSQL`);
  const database = await prepareDatabase({
    databaseUrl: serverUrl ? withDatabase(serverUrl, name) : undefined,
    database: name,
    secrets: { APP_DB_PASSWORD: randomBytes(18).toString('base64url'), EMBEDDED_PG_PASSWORD: randomBytes(18).toString('base64url') },
    embeddedPort,
    log,
  }).catch(async (error: unknown) => {
    // Created but not migrated (a migration failed): nobody else will drop it.
    if (serverUrl) await dropDatabase(withDatabase(serverUrl, name)).catch(() => undefined);
    throw error;
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
    // Test suites send thousands of requests a minute from one address; request-rate-limit.e2e-spec.ts sets its own small limit.
    RATE_LIMIT_REQUESTS_PER_MINUTE: '1000000',
  };
  return { database, env };
}

/**
 * Where a run's JSON report goes: named after this process, since several runs may share the
 * checkout, and removed first, so that neither another run's report nor an earlier one is read as this run's.
 */
function reportFile(name: string): string {
  const path = join(ROOT, 'tmp', `${name}-${process.pid}.json`);
  rmSync(path, { force: true });
  return path;
}

/** Jest with `args` (config, projects, paths); its JSON report goes to `outputFile`. */
export async function runJest(env: NodeJS.ProcessEnv, args: string[], options: { outputFile?: string; maxWorkers?: number } = {}): Promise<Counts> {
  const outputFile = options.outputFile ?? reportFile('jest-results');
  rmSync(outputFile, { force: true });
  const jest = startProcess(
    'jest',
    process.execPath,
    [join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci', `--maxWorkers=${options.maxWorkers ?? 2}`, '--json', `--outputFile=${outputFile}`, ...args],
    {
      cwd: ROOT,
      // @fastify/cookie loads the ESM-only `cookie` package with import(), which Jest's VM allows only with this flag.
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() },
      quiet: false,
    },
  );
  const code = await jest.exited;
  if (!existsSync(outputFile)) return { passed: 0, failed: 1, skipped: 0 };
  const result = JSON.parse(readFileSync(outputFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numRuntimeErrorTestSuites: number;
  };
  return {
    passed: result.numPassedTests,
    failed:
      result.numFailedTests + result.numRuntimeErrorTestSuites + (code !== 0 && result.numFailedTests === 0 && result.numRuntimeErrorTestSuites === 0 ? 1 : 0),
    skipped: result.numPendingTests,
  };
}

/**
 * Counts of a Playwright run from its JSON report (`reportFile`) and exit code; no report is a failure.
 * A "flaky" test (failed, then passed on a retry) is a failure: a retry must not hide it.
 */
export function browserRunCounts(reportFile: string, exitCode: number | null): Counts {
  if (!existsSync(reportFile)) return { passed: 0, failed: 1, skipped: 0 };
  const stats = (JSON.parse(readFileSync(reportFile, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats;
  const failed = stats.unexpected + stats.flaky;
  return { passed: stats.expected, failed: failed + (exitCode !== 0 && failed === 0 ? 1 : 0), skipped: stats.skipped };
}

/** The console's Playwright tests (`args`: spec paths, Playwright options) against an API and console started here. */
export async function runBrowserTests(env: NodeJS.ProcessEnv, appUrl: string, log: (line: string) => void, args: string[] = []): Promise<Counts> {
  const apiPort = Number(env.TEST_API_PORT ?? 3101);
  const consolePort = Number(env.TEST_CONSOLE_PORT ?? 3100);
  const consoleEnv = {
    ...env,
    API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`,
    PORT: String(consolePort),
    CONSOLE_DIST_DIR: env.TEST_CONSOLE_DIST_DIR ?? '.next-test',
  };
  const api = startApi({
    ...env,
    APP_DATABASE_URL: appUrl,
    API_PORT: String(apiPort),
    CONSOLE_ORIGIN: `http://127.0.0.1:${consolePort}`,
    LOG_LEVEL: 'warn',
    // The single sign-on browser test runs its OpenID provider on this host, over plain http (docs/identity.md).
    SSO_ALLOW_INSECURE_ISSUERS: 'true',
    SSO_ALLOWED_ISSUERS: '127.0.0.1',
  });
  try {
    if (!consoleBuildIsCurrent(consoleEnv)) await buildConsole(consoleEnv, log);
    const web = startConsole(consoleEnv, consolePort, true);
    try {
      await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`, 60_000, () => api.child.exitCode === null);
      await waitForHttp(`http://127.0.0.1:${consolePort}/login`, 120_000, () => web.child.exitCode === null);
      const output = reportFile('playwright-results');
      const playwright = startProcess(
        'browser',
        process.execPath,
        [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'apps/console/playwright.config.ts', '--reporter=list,json', ...args],
        {
          cwd: ROOT,
          env: { ...env, CONSOLE_URL: `http://127.0.0.1:${consolePort}`, API_URL: `http://127.0.0.1:${apiPort}`, PLAYWRIGHT_JSON_OUTPUT_NAME: output },
        },
      );
      return browserRunCounts(output, await playwright.exited);
    } finally {
      await stopProcess(web);
    }
  } finally {
    await stopProcess(api);
  }
}
