/**
 * PgBouncer in transaction-pooling mode in front of PostgreSQL, as operators run it at scale: the
 * API's integration tests of tenant isolation, recall and the audit log pass with every app
 * connection going through PgBouncer (the tenant setting is transaction-local, statements are
 * unnamed, locks are transaction-scoped), while the change feed LISTENs on its own direct
 * connection (LISTEN_DATABASE_URL). README "Running behind PgBouncer".
 */
import { join } from 'node:path';
import { dropDatabase } from '../tools/runtime/src/database';
import { ROOT } from '../tools/runtime/src/stack';
import { prepareTestDatabase, runJest } from '../tools/runtime/src/test-runs';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer';
import { serverUrl } from './support/product';
import { report } from './support/report';

const SPECS = [
  'apps/api/test/tenant-isolation.e2e-spec.ts',
  'apps/api/test/recall.e2e-spec.ts',
  'apps/api/test/audit-api.e2e-spec.ts',
  'apps/api/test/audit-concurrency.e2e-spec.ts',
  'apps/api/test/audit-immutability.e2e-spec.ts',
  'apps/api/test/audit-tamper.e2e-spec.ts',
  'apps/api/test/audit-witness.e2e-spec.ts',
];

describe('behind PgBouncer in transaction-pooling mode', () => {
  let bouncer: PgBouncer | undefined;
  let ownerUrl: string | undefined;

  afterAll(async () => {
    await bouncer?.stop();
    if (ownerUrl && process.env.KEEP_TEST_DATABASE !== 'true') await dropDatabase(ownerUrl).catch(() => undefined);
  });

  it('passes the tenant-isolation, recall and audit integration tests with the app connections pooled per transaction', async () => {
    const { database, env } = await prepareTestDatabase(serverUrl(), () => undefined);
    ownerUrl = database.ownerUrl;
    const direct = new URL(database.appUrl);
    bouncer = await startPgBouncer(database.appUrl, [{ name: decodeURIComponent(direct.username), password: decodeURIComponent(direct.password) }]);
    const pooled = bouncer.through(database.appUrl);

    const counts = await runJest(
      { ...env, TEST_APP_DATABASE_URL: pooled, APP_DATABASE_URL: pooled, LISTEN_DATABASE_URL: database.appUrl },
      ['--selectProjects', 'api', '--runTestsByPath', ...SPECS],
      { outputFile: join(ROOT, 'tmp', 'reliability-pgbouncer-results.json') },
    );
    const stats = await bouncer.stats();
    report('pgbouncer', [
      `${SPECS.length} spec files through PgBouncer (pool_mode = transaction, LISTEN direct): ${counts.passed} passed, ${counts.failed} failed`,
      `PgBouncer relayed ${stats.transactions} transactions, ${stats.queries} queries`,
    ]);
    expect(counts).toMatchObject({ failed: 0, skipped: 0 });
    expect(counts.passed).toBeGreaterThan(SPECS.length);
    // The app connections really went through it (not only the test's own checks).
    expect(stats.transactions).toBeGreaterThan(1000);
  });
});
