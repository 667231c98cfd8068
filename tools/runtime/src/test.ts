import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../../prisma/seed/demo';
import { dropDatabase } from './database';
import { onStopRequest, stopAllProcesses } from './processes';
import { ROOT } from './stack';
import { addCounts, countsLine, prepareTestDatabase, runBrowserTests, runJest, type Counts } from './test-runs';

/**
 * `npm test`: a fresh database (on DATABASE_URL's server, or an embedded PostgreSQL), then every
 * Jest project (unit and integration), then the browser tests against a running API and console.
 * Prints one closing line `N passed, N failed` and exits non-zero when anything failed.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'jest' : args.includes('--browser') ? 'browser' : 'all';
const jestArgs = args.filter((a) => !a.startsWith('--unit') && !a.startsWith('--browser'));

const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
let preparing: ReturnType<typeof prepareTestDatabase> | undefined;
let released: Promise<void> | undefined;
let interrupted = false;

/** Drops the test database and stops the embedded server: once, whether the run ended or was stopped. */
const release = () =>
  (released ??= (async () => {
    const prepared = await preparing?.catch(() => undefined);
    if (!prepared) return;
    if (process.env.KEEP_TEST_DATABASE !== 'true') await dropDatabase(prepared.database.ownerUrl).catch(() => undefined);
    await prepared.database.embedded?.stop();
  })());

async function main(): Promise<number> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  preparing = prepareTestDatabase(process.env.DATABASE_URL, log);
  const { database, env } = await preparing;
  const add = (counts: Counts) => addCounts(totals, counts);
  try {
    if (only !== 'browser') add(await runJest(env, jestArgs));
    if (only !== 'jest') {
      await seedDemo(database.appUrl, undefined, { auditKek: env.AUDIT_KEK });
      add(await runBrowserTests(env, database.appUrl, log));
    }
  } finally {
    await release();
  }
  if (interrupted) return 130; // the stop below reports
  log('');
  log(countsLine(totals));
  return totals.failed > 0 ? 1 : 0;
}

// Stopped (Ctrl-C, a signal to npm's pid, npm gone): stop Jest, the browser run and the servers it
// started, drop the test database, and fail; an interrupted run never reads as passed.
onStopRequest((reason) => {
  interrupted = true;
  // What finished before the signal; a run stopped now reports nothing more.
  const counted = { ...totals };
  log('');
  log(`stopping the tests (${reason})...`);
  void stopAllProcesses()
    .then(release)
    .finally(() => {
      addCounts(counted, { passed: 0, failed: 1, skipped: 0 });
      log('interrupted before the tests finished');
      log(countsLine(counted));
      process.exit(130);
    });
});

// When interrupted, the stop above finishes the cleanup and exits.
main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  (error) => {
    if (interrupted) return;
    process.stderr.write(`test run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    log('0 passed, 1 failed');
    process.exit(1);
  },
);
