import { DEFAULT_POLICY_SETTINGS } from '@retract/contracts';
import { inTenant, type Db } from '@retract/db';
import { controlClock, createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { ownerDb, startTestApp, type TestApp } from './test-app';

/** The versioned policy over HTTP (DESIGN §3): by role, versions and diffs, concurrency, validation, overrides, simulation. */
describe('policy', () => {
  let test: TestApp;
  let owner: Db;
  let acme: MessagingTenant;

  beforeAll(async () => {
    test = await startTestApp();
    owner = ownerDb();
    acme = await createMessagingTenant(test, {
      admin: ['ADMIN'],
      compliance: ['COMPLIANCE'],
      alice: ['EMPLOYEE'],
      bob: ['EMPLOYEE'],
      carol: ['EMPLOYEE'],
      both: ['ADMIN', 'COMPLIANCE'],
    });
  });
  afterAll(async () => {
    await owner.$disconnect();
    await test.close();
  });

  const get = (token: string) => test.request({ method: 'GET', url: '/api/v1/policy', token });
  const put = (token: string, payload: unknown) => test.request({ method: 'PUT', url: '/api/v1/policy', token, payload });
  const settings = (change: Record<string, unknown> = {}) => ({ ...DEFAULT_POLICY_SETTINGS, ...change });

  it('a new organisation starts at version 1 with the defaults of DESIGN §3, authored by its first admin', async () => {
    const body = (await get(acme.users.alice.token)).json();
    expect(body).toMatchObject({ version: 1, settings: DEFAULT_POLICY_SETTINGS, overrides: [], createdBy: { id: acme.users.admin.id, displayName: 'admin' } });
    expect(body.settings).toMatchObject({
      windowSeconds: 120,
      graceSeconds: 5,
      editAfterRecall: true,
      reEditWindowSeconds: 300,
      maxRecallsPerHour: 0,
      auditRetentionDays: 2555,
      batchRecall: { enabled: true, maxBatch: 20 },
      requireReason: 'NEVER',
    });
    expect(body.diff.map((d: { path: string }) => d.path)).toContain('windowSeconds');
  });

  describe.each([
    ['admin', 200, 200, 200],
    ['both', 200, 200, 200],
    ['compliance', 200, 403, 403],
    ['alice', 200, 403, 403],
  ])('as %s', (who, readStatus, writeStatus, simulateStatus) => {
    it(`reads ${readStatus}, changes ${writeStatus}, simulates ${simulateStatus}`, async () => {
      const token = acme.users[who].token;
      const current = await get(token);
      expect(current.statusCode).toBe(readStatus);
      expect((await test.request({ method: 'GET', url: '/api/v1/policy/versions', token })).statusCode).toBe(readStatus);
      const write = await put(token, {
        expectedVersion: current.json().version,
        settings: settings({ graceSeconds: current.json().settings.graceSeconds === 5 ? 6 : 5 }),
      });
      expect(write.statusCode).toBe(writeStatus);
      expect((await test.request({ method: 'POST', url: '/api/v1/policy/simulate', token, payload: { settings: settings(), days: 7 } })).statusCode).toBe(
        simulateStatus,
      );
    });
  });

  it('each change is a new immutable version with author and diff, recorded as POLICY_CHANGED in the same transaction', async () => {
    const before = (await get(acme.users.admin.token)).json();
    const response = await put(acme.users.admin.token, { expectedVersion: before.version, settings: settings({ windowSeconds: 600, maxRecallsPerHour: 10 }) });
    expect(response.statusCode).toBe(200);
    const after = response.json();
    expect(after.version).toBe(before.version + 1);
    expect(after.createdBy).toEqual({ id: acme.users.admin.id, displayName: 'admin' });
    expect(after.diff).toEqual(
      expect.arrayContaining([
        { path: 'windowSeconds', from: 120, to: 600 },
        { path: 'maxRecallsPerHour', from: 0, to: 10 },
      ]),
    );
    const entries = await inTenant(owner, { tenantId: acme.id }, (tx) =>
      tx.auditEntry.findMany({ where: { tenantId: acme.id, action: 'POLICY_CHANGED', policyVersion: after.version } }),
    );
    expect(entries).toHaveLength(1);
    expect(JSON.parse(Buffer.from(entries[0].leaf).toString('utf8')).details).toMatchObject({
      fromVersion: before.version,
      toVersion: after.version,
      diff: after.diff,
    });

    const unchanged = await put(acme.users.admin.token, { expectedVersion: after.version, settings: settings({ windowSeconds: 600, maxRecallsPerHour: 10 }) });
    expect(unchanged.json().version).toBe(after.version);

    const history = (await test.request({ method: 'GET', url: '/api/v1/policy/versions?limit=2', token: acme.users.alice.token })).json();
    expect(history.items.map((v: { version: number }) => v.version)).toEqual([after.version, after.version - 1]);
    const older = (
      await test.request({ method: 'GET', url: `/api/v1/policy/versions?limit=100&cursor=${history.nextCursor}`, token: acme.users.alice.token })
    ).json();
    expect(older.items[older.items.length - 1].version).toBe(1);
    expect(older.nextCursor).toBeNull();
    await expect(
      inTenant(owner, { tenantId: acme.id }, (tx) => tx.$executeRaw`UPDATE policy_versions SET diff = '[]' WHERE tenant_id = ${acme.id}::uuid`),
    ).rejects.toThrow(/append-only/);
  });

  it('a stale expectedVersion gets 409 VERSION_CONFLICT; of two concurrent writers exactly one wins', async () => {
    const current = (await get(acme.users.admin.token)).json();
    const stale = await put(acme.users.admin.token, { expectedVersion: current.version - 1, settings: settings({ windowSeconds: 60 }) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: current.version });
    const racing = await Promise.all([
      put(acme.users.admin.token, { expectedVersion: current.version, settings: settings({ windowSeconds: 61 }) }),
      put(acme.users.both.token, { expectedVersion: current.version, settings: settings({ windowSeconds: 62 }) }),
    ]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await get(acme.users.admin.token)).json().version).toBe(current.version + 1);
  });

  it('changes only the fields a request names; the others keep their current value', async () => {
    const own = await createMessagingTenant(test, { admin: ['ADMIN'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'], carol: ['EMPLOYEE'] });
    const token = own.users.admin.token;
    const first = (
      await put(token, { expectedVersion: 1, settings: { maxRecallsPerHour: 20, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 } })
    ).json();
    const second = await put(token, { expectedVersion: first.version, settings: { windowSeconds: 10 } });
    expect(second.statusCode).toBe(200);
    expect(second.json().settings).toMatchObject({ windowSeconds: 10, maxRecallsPerHour: 20, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 60 });
    expect(second.json().diff).toEqual([{ path: 'windowSeconds', from: 120, to: 10 }]);
  });

  it('refuses invalid settings with 400 naming each field and its limit', async () => {
    const { version } = (await get(acme.users.admin.token)).json();
    const response = await put(acme.users.admin.token, {
      expectedVersion: version,
      settings: {
        windowSeconds: 86_401,
        graceSeconds: -1,
        recallableTypes: ['TEXT', 'TRANSFER'],
        batchRecall: { maxBatch: 0 },
        requireReason: 'AFTER_SECONDS',
        surprise: true,
      },
    });
    expect(response.statusCode).toBe(400);
    const errors = response.json().errors as { field: string; message: string }[];
    const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    expect(byField['settings.windowSeconds']).toBe('must be at most 86400 (24 hours)');
    expect(byField['settings.graceSeconds']).toBe('must be at least 0');
    expect(byField['settings.recallableTypes.1']).toBe('TRANSFER is a payment type and can never be recalled');
    expect(byField['settings.batchRecall.maxBatch']).toBe('must be at least 1');
    expect(byField['settings.surprise']).toBeDefined();
    const pair = await put(acme.users.admin.token, { expectedVersion: version, settings: settings({ requireReason: 'AFTER_SECONDS' }) });
    expect(pair.json().errors).toEqual([{ field: 'settings.reasonAfterSeconds', message: 'is required when requireReason is AFTER_SECONDS', code: 'custom' }]);
    const noVersion = await put(acme.users.admin.token, { settings: settings() });
    expect(noVersion.json().errors.map((e: { field: string }) => e.field)).toEqual(['expectedVersion']);
  });

  it('overrides per conversation kind and per conversation; the most specific applies, and unknown conversations are refused', async () => {
    const { version } = (await get(acme.users.admin.token)).json();
    const foreign = '00000000-0000-4000-8000-00000000abcd';
    const unknown = await put(acme.users.admin.token, {
      expectedVersion: version,
      settings: settings(),
      overrides: [{ target: { kind: 'CONVERSATION', conversationId: foreign }, settings: { windowSeconds: 0 } }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('overrides.0.target.conversationId');
    const response = await put(acme.users.admin.token, {
      expectedVersion: version,
      settings: settings(),
      overrides: [
        { target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { windowSeconds: 900 } },
        { target: { kind: 'CONVERSATION', conversationId: acme.direct, label: 'Legal' }, settings: { windowSeconds: 0 } },
      ],
    });
    expect(response.statusCode).toBe(200);
    const conversations = (await test.request({ method: 'GET', url: '/api/v1/conversations', token: acme.users.alice.token })).json().items;
    const byId = Object.fromEntries(conversations.map((c: { id: string }) => [c.id, c]));
    expect(byId[acme.launch]).toMatchObject({ policyRule: 'CONVERSATION_KIND:GROUP', recallWindowSeconds: 900 });
    expect(byId[acme.direct]).toMatchObject({ policyRule: `CONVERSATION:${acme.direct}`, recallWindowSeconds: 0 });
    // Omitting overrides keeps them; [] removes them.
    const kept = await put(acme.users.admin.token, { expectedVersion: version + 1, settings: settings({ graceSeconds: 7 }) });
    expect(kept.json().overrides).toHaveLength(2);
    const cleared = await put(acme.users.admin.token, { expectedVersion: version + 2, settings: settings({ graceSeconds: 7 }), overrides: [] });
    expect(cleared.json().overrides).toEqual([]);
  });

  it('simulates a proposed policy over the recorded attempts of the last N days, by code', async () => {
    const tenant = await createMessagingTenant(test);
    const clock = controlClock(test);
    try {
      const { alice } = tenant.users;
      const quick = await sendText(test, alice, tenant.launch);
      clock.advance(60_000);
      expect((await recall(test, alice, quick)).statusCode).toBe(200); // allowed at 60 s
      const slow = await sendText(test, alice, tenant.launch);
      clock.advance(200_000);
      expect((await recall(test, alice, slow)).json().code).toBe('WINDOW_EXPIRED'); // refused at 200 s
      const simulate = (payload: unknown) => test.request({ method: 'POST', url: '/api/v1/policy/simulate', token: tenant.users.admin.token, payload });

      const same = (await simulate({ settings: settings(), days: 1 })).json();
      expect(same).toEqual({ days: 1, attempts: 2, unchanged: 2, newlyDenied: { total: 0, byCode: {} }, newlyAllowed: { total: 0, byCode: {} } });
      const tighter = (await simulate({ settings: settings({ windowSeconds: 30 }), days: 1 })).json();
      expect(tighter).toMatchObject({ attempts: 2, newlyDenied: { total: 1, byCode: { WINDOW_EXPIRED: 1 } }, newlyAllowed: { total: 0 } });
      const looser = (await simulate({ settings: settings({ windowSeconds: 600 }) })).json();
      expect(looser).toMatchObject({ days: 30, newlyAllowed: { total: 1, byCode: { WINDOW_EXPIRED: 1 } }, newlyDenied: { total: 0 } });
      const off = (
        await simulate({
          settings: settings(),
          overrides: [{ target: { kind: 'CONVERSATION_KIND', conversationKind: 'GROUP' }, settings: { windowSeconds: 0 } }],
        })
      ).json();
      expect(off.newlyDenied).toEqual({ total: 1, byCode: { RECALL_OFF: 1 } });
      expect((await simulate({ settings: settings(), days: 91 })).statusCode).toBe(400);
      // Simulating changes nothing.
      expect((await get(tenant.users.admin.token)).json().version).toBe(1);
    } finally {
      clock.restore();
    }
  });
});
