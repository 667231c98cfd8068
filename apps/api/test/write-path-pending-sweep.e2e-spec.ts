import type { Client } from 'pg';
import { AuditJobs } from '../src/modules/audit/audit-jobs';
import { AuditSequencer } from '../src/modules/audit/audit-sequencer';
import { appendEntries, gapFree, holdLock, logShape, ownerClient, policyDraft, queueAsCrashedWriter, waitUntil } from './audit-fixtures';
import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * Entries queued in `audit_pending` whose writer never integrated them are integrated by
 * `AuditJobs.integrateStalePending(olderThanSeconds)` (its timer is off under NODE_ENV=test).
 *
 * The entries here are made old by moving their `created_at` back an hour (the writer stopped an
 * hour ago) and the sweep is asked for entries older than a minute: a sweep for age 0 would also
 * take the entries other suites' requests are integrating at that moment (the same database
 * serves the other Jest worker), and answer those requests 503.
 */
describe('pending audit entries left by a writer', () => {
  let test: TestApp;
  let owner: Client;
  let jobs: AuditJobs;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await ownerClient();
    jobs = test.app.get(AuditJobs);
  });
  afterAll(async () => {
    await owner.end();
    await test.close();
  });

  const newTenant = () => createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'] });
  const ageAnHour = (tenantId: string) => owner.query(`UPDATE audit_pending SET created_at = created_at - interval '1 hour' WHERE tenant_id = $1`, [tenantId]);
  /** How many entries of the log carry each of the marker policy versions, by seq order. */
  const markedEntries = async (tenantId: string, from: number) =>
    (
      await owner.query<{ version: number; seq: number }>(
        'SELECT policy_version AS version, seq::int FROM audit_entries WHERE tenant_id = $1 AND policy_version >= $2 ORDER BY seq',
        [tenantId, from],
      )
    ).rows;
  const verify = async (tenant: TestTenant) =>
    (await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token, payload: {} })).json();

  it('entries a crashed writer left pending are integrated by the sweep once, gap-free, and the log verifies', async () => {
    const tenant = await newTenant();
    const adminId = tenant.users.admin.id;
    await appendEntries(test, tenant, [policyDraft(adminId, 2)]);
    const before = await logShape(owner, tenant.id);
    expect(before).toEqual(gapFree(before.size));

    await queueAsCrashedWriter(
      test,
      tenant,
      [9001, 9002, 9003].map((n) => policyDraft(adminId, n)),
    );
    expect(await logShape(owner, tenant.id)).toEqual({ ...before, pending: 3 });
    await ageAnHour(tenant.id);

    // Not old enough for a sweep of entries older than two hours.
    await jobs.integrateStalePending(7200);
    expect(await logShape(owner, tenant.id)).toEqual({ ...before, pending: 3 });

    expect(await jobs.integrateStalePending(60)).toBeGreaterThanOrEqual(3);
    expect(await logShape(owner, tenant.id)).toEqual(gapFree(before.size + 3));
    expect(await markedEntries(tenant.id, 9000)).toEqual([
      { version: 9001, seq: before.size },
      { version: 9002, seq: before.size + 1 },
      { version: 9003, seq: before.size + 2 },
    ]);

    // Swept once: a second sweep finds nothing of this tenant.
    await jobs.integrateStalePending(60);
    expect(await logShape(owner, tenant.id)).toEqual(gapFree(before.size + 3));
    expect(await verify(tenant)).toMatchObject({ ok: true, checked: before.size + 3, treeSize: before.size + 3, problems: [] });
  });

  it('a sweep while integration is held up (the writers still waiting on this replica) integrates each entry once', async () => {
    const tenant = await newTenant();
    const adminId = tenant.users.admin.id;
    await appendEntries(test, tenant, [policyDraft(adminId, 2)]);
    const before = await logShape(owner, tenant.id);
    const integrate = jest.spyOn(test.app.get(AuditSequencer), 'integrate');
    // Another replica holds the tenant's head row (a slow integration): this replica's batches wait behind it.
    const head = await holdLock('SELECT 1 FROM audit_log_heads WHERE tenant_id = $1 FOR UPDATE', [tenant.id]);
    // Each writer is answered with its seq, or with 503 when its entry was integrated by someone else.
    const write = (version: number) =>
      appendEntries(test, tenant, [policyDraft(adminId, version)]).then(
        () => 'seq or 503',
        (error: { init?: { status?: number } }) => (error?.init?.status === 503 ? 'seq or 503' : String(error)),
      );
    const writers: Promise<string>[] = [];
    let sweep: Promise<number> | undefined;
    try {
      writers.push(write(9101));
      await waitUntil('the first writer’s batch waits for the head row', async () => (await head.waiting()) >= 1);
      writers.push(write(9102), write(9103));
      await waitUntil('the two other writers are queued behind it', () => integrate.mock.calls.length >= 3);
      // They have waited longer than the sweep's age by now.
      await ageAnHour(tenant.id);
      sweep = jobs.integrateStalePending(60);
      sweep.catch(() => undefined); // awaited below, after the lock is released
      await waitUntil('the sweep has queued the three pending entries', () => integrate.mock.calls.length >= 6);
    } finally {
      await head.release();
      integrate.mockRestore();
    }
    expect(await Promise.all(writers)).toEqual(['seq or 503', 'seq or 503', 'seq or 503']);
    await sweep;
    // Each entry in the log once.
    const marked = await markedEntries(tenant.id, 9100);
    expect(marked.map((entry) => entry.version).sort((x, y) => x - y)).toEqual([9101, 9102, 9103]);
    expect(await logShape(owner, tenant.id)).toEqual(gapFree(before.size + 3));
    expect(await verify(tenant)).toMatchObject({ ok: true, checked: before.size + 3, problems: [] });
  });
});
