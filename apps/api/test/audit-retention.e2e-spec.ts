import { AuditJobs } from '../src/modules/audit/audit-jobs';
import { RetentionService } from '../src/modules/policy/retention.service';
import { appendEntries, recalledDraft } from './audit-fixtures';
import { controlClock, type ControlledClock } from './messaging-fixtures';
import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

const DAY = 86_400_000;

describe('audit retention is owned by compliance', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let clock: ControlledClock;

  beforeAll(async () => {
    test = await startTestApp({ AUDIT_RETENTION_FLOOR_DAYS: '365', AUDIT_RETENTION_SHORTENING_DELAY_DAYS: '7' });
    tenant = await createTenant(test, {
      admin: ['ADMIN'],
      compliance: ['COMPLIANCE'],
      officer: ['COMPLIANCE'],
      both: ['ADMIN', 'COMPLIANCE'],
      alice: ['EMPLOYEE'],
      bob: ['EMPLOYEE'],
    });
    clock = controlClock(test);
  });
  afterAll(async () => {
    clock.restore();
    await test.close();
  });

  const call = (who: string, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    test.request({ method, url, token: tenant.users[who].token, payload });
  const retention = (who = 'admin') => call(who, 'GET', '/api/v1/policy/retention').then((response) => response.json());
  const auditActions = async () =>
    (await call('compliance', 'GET', '/api/v1/audit?limit=200')).json().items as { action: string; actorId: string | null; seq: number }[];

  it("refuses an administrator's policy change that touches auditRetentionDays (403 naming the field); other settings still change", async () => {
    for (const who of ['admin', 'both']) {
      const policy = (await call(who, 'GET', '/api/v1/policy')).json();
      const refused = await call(who, 'PUT', '/api/v1/policy', { expectedVersion: policy.version, settings: { auditRetentionDays: 30 } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'settings.auditRetentionDays' })]);
    }
    const viaOverride = await call('admin', 'PUT', '/api/v1/policy', {
      expectedVersion: (await call('admin', 'GET', '/api/v1/policy')).json().version,
      overrides: [{ target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { auditRetentionDays: 30 } }],
    });
    expect(viaOverride.statusCode).toBe(403);
    const policy = (await call('admin', 'GET', '/api/v1/policy')).json();
    const allowed = await call('admin', 'PUT', '/api/v1/policy', { expectedVersion: policy.version, settings: { windowSeconds: 300 } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().settings.auditRetentionDays).toBe(2555);
    expect((await call('admin', 'PUT', '/api/v1/policy/retention', { days: 3000 })).statusCode).toBe(403);
    expect((await call('admin', 'DELETE', `/api/v1/policy/retention/changes/${crypto.randomUUID()}`)).statusCode).toBe(403);
  });

  it('shows everyone who reads the policy the retention in force, the floor and the delay', async () => {
    expect(await retention('admin')).toEqual({ days: 2555, floorDays: 365, shorteningDelayDays: 7, pending: null });
    expect((await call('alice', 'GET', '/api/v1/policy/retention')).statusCode).toBe(200);
  });

  it('lengthens at once, audited as a policy version by the compliance officer', async () => {
    const longer = await call('compliance', 'PUT', '/api/v1/policy/retention', { days: 3000 });
    expect(longer.statusCode).toBe(200);
    expect(longer.json()).toMatchObject({ days: 3000, pending: null });
    expect((await call('admin', 'GET', '/api/v1/policy')).json().settings.auditRetentionDays).toBe(3000);
    expect((await auditActions())[0]).toMatchObject({ action: 'POLICY_CHANGED', actorId: tenant.users.compliance.id });
  });

  it('refuses a retention below the floor (400 naming days)', async () => {
    const below = await call('compliance', 'PUT', '/api/v1/policy/retention', { days: 364 });
    expect(below.statusCode).toBe(400);
    expect(below.json().errors).toEqual([expect.objectContaining({ field: 'days' })]);
  });

  it('a shortening waits out the delay, and another compliance officer can cancel it meanwhile', async () => {
    const proposed = await call('compliance', 'PUT', '/api/v1/policy/retention', { days: 400 });
    expect(proposed.statusCode).toBe(200);
    expect(proposed.json()).toMatchObject({
      days: 3000,
      pending: { fromDays: 3000, toDays: 400, proposedBy: tenant.users.compliance.id, effectiveAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() },
    });
    expect((await auditActions())[0]).toMatchObject({ action: 'RETENTION_SHORTENING_PROPOSED', actorId: tenant.users.compliance.id });
    clock.advance(6 * DAY);
    expect((await retention()).days).toBe(3000);
    const cancelled = await call('officer', 'DELETE', `/api/v1/policy/retention/changes/${proposed.json().pending.id}`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ days: 3000, pending: null });
    expect((await auditActions())[0]).toMatchObject({ action: 'RETENTION_SHORTENING_CANCELLED', actorId: tenant.users.officer.id });
    expect((await call('officer', 'DELETE', `/api/v1/policy/retention/changes/${proposed.json().pending.id}`)).statusCode).toBe(409);
    expect((await call('officer', 'DELETE', `/api/v1/policy/retention/changes/${crypto.randomUUID()}`)).statusCode).toBe(404);
    clock.advance(7 * DAY);
    expect((await retention()).days).toBe(3000);
  });

  it('a shortening nobody cancels takes effect at effectiveAt: the shredding job applies it, and it becomes a policy version', async () => {
    const [seq] = await appendEntries(test, tenant, [recalledDraft(tenant, 'alice', 'kept until retention ends')]);
    const jobs = test.app.get(AuditJobs);
    const in460Days = new Date(Date.now() + 460 * DAY);
    expect(await jobs.applyRetention(tenant.id, in460Days)).toBe(0); // 3000 days in force
    const proposed = (await call('compliance', 'PUT', '/api/v1/policy/retention', { days: 400 })).json();
    clock.set(new Date(proposed.pending.effectiveAt).getTime() - 1000);
    expect((await retention()).days).toBe(3000);
    clock.set(new Date(proposed.pending.effectiveAt));
    expect((await retention()).days).toBe(400);
    // The job reads the due shortening itself, before any settling run has written it into the policy.
    expect(await jobs.applyRetention(tenant.id, in460Days)).toBe(1);
    expect((await call('compliance', 'GET', `/api/v1/audit/${seq}`)).json().content).toMatchObject({ state: 'ERASED', reason: 'RETENTION' });
    expect(await test.app.get(RetentionService).settleTenant(tenant.id, clock.now())).toBe(true);
    expect((await call('admin', 'GET', '/api/v1/policy')).json().settings.auditRetentionDays).toBe(400);
    expect(await retention()).toMatchObject({ days: 400, pending: null });
    expect((await call('compliance', 'GET', '/api/v1/audit?action=POLICY_CHANGED&limit=1')).json().items[0]).toMatchObject({ actorId: null });
  });
});
