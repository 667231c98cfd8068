import { Client } from 'pg';
import { runAppendWorker } from './fixtures/run-workers';
import { createTenant, requireEnv, startTestApp, type TestApp, type TestTenant } from './test-app';

const PROCESSES = 6;
const PER_PROCESS = 1000;

/** Appends to one tenant from many processes at once: seq stays gap-free, no forks, the log verifies. */
describe('concurrent appends', () => {
  let test: TestApp;
  let busy: TestTenant;
  let quiet: TestTenant;

  beforeAll(async () => {
    test = await startTestApp();
    busy = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'] });
    quiet = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'] });
  });
  afterAll(() => test.close());

  it(`${PROCESSES} processes × ${PER_PROCESS} appends to one tenant give seq 0..${PROCESSES * PER_PROCESS - 1} while another tenant is not blocked`, async () => {
    const env = { APP_DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL'), AUDIT_KEK: test.config.AUDIT_KEK! };
    const busyRuns = Array.from({ length: PROCESSES }, () => runAppendWorker(env, busy.id, PER_PROCESS, busy.users.admin.id));
    const quietRun = runAppendWorker(env, quiet.id, 100, quiet.users.admin.id);
    const [quietResult, ...busyResults] = await Promise.all([quietRun, ...busyRuns]);
    expect(busyResults.reduce((sum, r) => sum + r.count, 0)).toBe(PROCESSES * PER_PROCESS);
    // The other tenant's appends finish while the busy tenant's are still queued on its own head lock.
    expect(quietResult.finishedAt).toBeLessThan(Math.max(...busyResults.map((r) => r.finishedAt)));

    const owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ n: string; min: string; max: string; distinct: string }>(
        'SELECT count(*) AS n, min(seq) AS min, max(seq) AS max, count(DISTINCT seq) AS distinct FROM audit_entries WHERE tenant_id = $1',
        [busy.id],
      );
      expect(rows[0]).toEqual({ n: '6000', min: '0', max: '5999', distinct: '6000' });
      const head = await owner.query<{ size: string }>('SELECT size FROM audit_log_heads WHERE tenant_id = $1', [busy.id]);
      expect(head.rows[0].size).toBe('6000');
    } finally {
      await owner.end();
    }
    const verification = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: busy.users.compliance.token, payload: {} });
    expect(verification.json()).toMatchObject({ ok: true, checked: 6000, treeSize: 6000 });
  }, 240_000);
});
