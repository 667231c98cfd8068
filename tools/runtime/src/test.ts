import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../../prisma/seed/demo';
import { dropDatabase } from './database';
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

async function main(): Promise<number> {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  const { database, env } = await prepareTestDatabase(process.env.DATABASE_URL, log);
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (counts: Counts) => addCounts(totals, counts);
  try {
    if (only !== 'browser') add(await runJest(env, jestArgs));
    if (only !== 'jest') {
      await seedDemo(database.appUrl, undefined, { auditKek: env.AUDIT_KEK });
      add(await runBrowserTests(env, database.appUrl, log));
    }
  } finally {
    if (process.env.KEEP_TEST_DATABASE !== 'true') await dropDatabase(database.ownerUrl).catch(() => undefined);
    await database.embedded?.stop();
  }
  log('');
  log(countsLine(totals));
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
