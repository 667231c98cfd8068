import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../../prisma/seed/demo';
import { dropDatabase } from './database';
import { stopAllProcesses } from './processes';
import { ROOT } from './stack';
import { addCounts, countsLine, prepareTestDatabase, runBrowserTests, runJest, runTestCommand, type CommandRun, type Counts } from './test-runs';

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
const run: CommandRun = { interrupted: false };

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
      add(await runBrowserTests(env, database.appUrl, log, only === 'browser' ? jestArgs : []));
    }
  } finally {
    await release();
  }
  if (run.interrupted) return 130; // the stop below reports
  log('');
  log(countsLine(totals));
  return totals.failed > 0 ? 1 : 0;
}

// Stopped: stop Jest, the browser run and the servers it started, and drop the test database.
runTestCommand({ what: 'tests', run, totals, log, main, stop: () => stopAllProcesses().then(release) });
