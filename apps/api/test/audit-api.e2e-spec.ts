import { verifyExport, verifyInclusion, decodeBase64, verifyCheckpoint, verifyConsistency } from '@retract/audit-log';
import { AuditJobs } from '../src/modules/audit/audit-jobs';
import { appendEntries, policyDraft, recalledDraft } from './audit-fixtures';
import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

describe('audit API', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let recallSeq: number;

  beforeAll(async () => {
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: '5' });
    tenant = await createTenant(test, {
      admin: ['ADMIN'],
      compliance: ['COMPLIANCE'],
      alice: ['EMPLOYEE'],
      bob: ['EMPLOYEE'],
      auditor: ['ADMIN', 'COMPLIANCE'],
    });
    other = await createTenant(test);
    [recallSeq] = await appendEntries(test, tenant, [recalledDraft(tenant, 'alice', 'the launch date is secret'), policyDraft(tenant.users.admin.id, 2)]);
    await appendEntries(test, other, [recalledDraft(other, 'alice', 'other tenant secret')]);
  });
  afterAll(() => test.close());

  const get = (who: string, url: string, t = tenant) => test.request({ method: 'GET', url, token: t.users[who].token });
  const post = (who: string, url: string, payload: unknown = {}) => test.request({ method: 'POST', url, token: tenant.users[who].token, payload });

  describe.each([
    ['compliance', 200, 'READABLE'],
    ['auditor', 200, 'READABLE'],
    ['admin', 200, 'WITHHELD'],
    ['alice', 403, null],
  ])('as %s', (who, status, contentState) => {
    it(`lists entries: ${status}`, async () => {
      const response = await get(who, '/api/v1/audit');
      expect(response.statusCode).toBe(status);
      if (status !== 200) return;
      const items = response.json().items;
      expect(items.map((item: { action: string }) => item.action)).toContain('MESSAGE_RECALLED');
      expect(JSON.stringify(items)).not.toContain('the launch date is secret');
    });

    it(`opens an entry: content ${contentState ?? 'refused'}`, async () => {
      const response = await get(who, `/api/v1/audit/${recallSeq}`);
      expect(response.statusCode).toBe(status);
      if (status !== 200) return;
      const detail = response.json();
      expect(detail.content.state).toBe(contentState);
      if (contentState === 'READABLE') {
        expect(detail.content.value).toEqual({ type: 'TEXT', body: 'the launch date is secret' });
        const viewed = await get(who, `/api/v1/audit/${detail.content.viewAuditSeq}`);
        expect(viewed.json()).toMatchObject({ action: 'AUDIT_CONTENT_VIEWED', actorId: tenant.users[who].id, details: { viewedSeq: recallSeq } });
      } else {
        expect(JSON.stringify(detail)).not.toContain('the launch date is secret');
      }
      const leaf = Buffer.from(detail.leaf, 'base64').toString('utf8');
      expect(leaf).not.toContain('the launch date is secret');
      expect(leaf).toContain('"ct":');
    });
  });

  it('answers 404 for seqs of other tenants and beyond the log', async () => {
    expect((await get('compliance', '/api/v1/audit/99999')).statusCode).toBe(404);
    const otherEntry = (await get('compliance', '/api/v1/audit', other)).json().items[0];
    const mine = await get('compliance', `/api/v1/audit/${otherEntry.seq}`);
    if (mine.statusCode === 200) expect(mine.json().content?.value?.body).not.toBe('other tenant secret');
  });

  it('filters by action, actor, text and time, with keyset pagination', async () => {
    await appendEntries(
      test,
      tenant,
      Array.from({ length: 7 }, (_, i) => policyDraft(tenant.users.admin.id, 10 + i)),
    );
    const byAction = (await get('compliance', '/api/v1/audit?action=POLICY_CHANGED&limit=3')).json();
    expect(byAction.items).toHaveLength(3);
    expect(byAction.items.every((item: { action: string }) => item.action === 'POLICY_CHANGED')).toBe(true);
    const next = (await get('compliance', `/api/v1/audit?action=POLICY_CHANGED&limit=3&cursor=${byAction.nextCursor}`)).json();
    expect(next.items[0].seq).toBeLessThan(byAction.items[2].seq);
    const byActor = (await get('compliance', `/api/v1/audit?actorId=${tenant.users.alice.id}`)).json();
    expect(byActor.items.map((item: { action: string }) => item.action)).toEqual(['MESSAGE_RECALLED']);
    const byText = (await get('compliance', '/api/v1/audit?q=windowseconds&limit=200')).json();
    expect(byText.items.length).toBeGreaterThanOrEqual(8);
    const future = (await get('compliance', `/api/v1/audit?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).json();
    expect(future.items).toEqual([]);
    expect((await get('compliance', '/api/v1/audit?action=NOT_AN_ACTION')).statusCode).toBe(400);
  });

  it('signs checkpoints every N entries and on demand, with verifiable inclusion and consistency proofs', async () => {
    const keys = (await get('alice', '/api/v1/audit/public-keys')).json();
    const first = (await get('compliance', '/api/v1/audit/checkpoints/latest')).json();
    expect(first.treeSize % 5).toBe(0);
    await appendEntries(test, tenant, [policyDraft(tenant.users.admin.id, 99)]);
    const issued = await post('compliance', '/api/v1/audit/checkpoints');
    expect(issued.statusCode).toBe(201);
    const checkpoint = issued.json();
    expect(checkpoint.treeSize).toBeGreaterThan(first.treeSize);
    expect(
      verifyCheckpoint(
        checkpoint.note,
        keys.keys.map((k: { vkey: string }) => k.vkey),
      ).ok,
    ).toBe(true);
    const inclusion = (await get('compliance', `/api/v1/audit/proofs/inclusion?seq=${recallSeq}`)).json();
    expect(inclusion.treeSize).toBe(checkpoint.treeSize);
    expect(
      verifyInclusion({
        leafHash: decodeBase64(inclusion.leafHash),
        leafIndex: recallSeq,
        treeSize: inclusion.treeSize,
        proof: inclusion.proof.map(decodeBase64),
        rootHash: decodeBase64(checkpoint.rootHash),
      }),
    ).toBe(true);
    const consistency = (await get('compliance', `/api/v1/audit/proofs/consistency?from=${first.treeSize}&to=${checkpoint.treeSize}`)).json();
    expect(
      verifyConsistency({
        oldSize: first.treeSize,
        newSize: checkpoint.treeSize,
        oldRoot: decodeBase64(first.rootHash),
        newRoot: decodeBase64(checkpoint.rootHash),
        proof: consistency.proof.map(decodeBase64),
      }),
    ).toBe(true);
    expect((await get('compliance', '/api/v1/audit/proofs/inclusion?seq=0&treeSize=999999')).statusCode).toBe(400);
    expect((await get('alice', '/api/v1/audit/checkpoints/latest')).statusCode).toBe(403);
  });

  it('verifies the whole log and a range', async () => {
    const all = (await post('compliance', '/api/v1/audit/verify')).json();
    expect(all).toMatchObject({ ok: true, problems: [] });
    expect(all.checked).toBeGreaterThan(10);
    const range = (await post('compliance', '/api/v1/audit/verify', { fromSeq: 3, toSeq: 6 })).json();
    expect(range).toMatchObject({ ok: true, checked: 4, problems: [] });
    expect((await post('admin', '/api/v1/audit/verify')).statusCode).toBe(403);
    const backwards = await post('compliance', '/api/v1/audit/verify', { fromSeq: 5, toSeq: 1 });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('fromSeq');
    const noBody = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token });
    expect(noBody.json()).toMatchObject({ ok: true });
  });

  it('exports JSON Lines that verify offline, recording the export', async () => {
    const response = await get('compliance', '/api/v1/audit/export?format=jsonl');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/ndjson/);
    const lines = response.body.trim().split('\n');
    const result = await verifyExport(lines);
    expect(result).toMatchObject({ ok: true });
    expect(result.checkpointsVerified).toBeGreaterThan(0);
    const header = JSON.parse(lines[0]);
    expect(header.tenantId).toBe(tenant.id);
    const last = JSON.parse(Buffer.from(JSON.parse(lines[lines.length - 2]).leaf, 'base64').toString('utf8'));
    expect(last).toMatchObject({ action: 'EXPORT_CREATED', actorId: tenant.users.compliance.id });
    const partial = await get('compliance', '/api/v1/audit/export?format=jsonl&fromSeq=4&toSeq=8');
    expect(await verifyExport(partial.body.trim().split('\n'))).toMatchObject({ ok: true, problems: [] });
  });

  it('exports CSV for people, metadata only, safe for spreadsheets', async () => {
    const response = await get('compliance', '/api/v1/audit/export?format=csv');
    expect(response.headers['content-type']).toMatch(/text\/csv/);
    const rows = response.body.trim().split('\n');
    expect(rows[0]).toMatch(/^seq,occurred_at,action/);
    expect(rows.some((row) => row.includes('MESSAGE_RECALLED'))).toBe(true);
    expect(response.body).not.toContain('the launch date is secret');
  });

  it('places and releases legal holds, refuses erasure under a hold (logged), then crypto-shreds', async () => {
    const hold = await post('compliance', '/api/v1/legal-holds', { scope: 'USER', subjectUserId: tenant.users.alice.id, matter: 'Case 42' });
    expect(hold.statusCode).toBe(201);
    expect((await post('admin', '/api/v1/legal-holds', { scope: 'TENANT', matter: 'x' })).statusCode).toBe(403);
    expect((await post('compliance', '/api/v1/legal-holds', { scope: 'USER', subjectUserId: other.users.alice.id, matter: 'x' })).statusCode).toBe(404);

    const refused = await post('compliance', '/api/v1/erasure-requests', { subjectUserId: tenant.users.alice.id, reason: 'GDPR request 7' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('LEGAL_HOLD_ACTIVE');
    const refusal = (await get('compliance', '/api/v1/audit?action=ERASURE_REFUSED')).json().items;
    expect(refusal).toHaveLength(1);
    expect((await get('compliance', `/api/v1/audit/${recallSeq}`)).json().content.state).toBe('READABLE');

    const released = await test.request({ method: 'DELETE', url: `/api/v1/legal-holds/${hold.json().id}`, token: tenant.users.compliance.token });
    expect(released.json().active).toBe(false);
    expect((await test.request({ method: 'DELETE', url: `/api/v1/legal-holds/${hold.json().id}`, token: tenant.users.compliance.token })).statusCode).toBe(409);

    const erased = await post('compliance', '/api/v1/erasure-requests', { subjectUserId: tenant.users.alice.id, reason: 'GDPR request 7' });
    expect(erased.statusCode).toBe(200);
    expect(erased.json().keysDestroyed).toBe(1);
    const detail = (await get('compliance', `/api/v1/audit/${recallSeq}`)).json();
    expect(detail.content).toMatchObject({ state: 'ERASED', reason: 'ERASURE' });
    const actions = (await get('compliance', '/api/v1/audit?limit=200')).json().items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['LEGAL_HOLD_PLACED', 'LEGAL_HOLD_RELEASED', 'CONTENT_ERASED']));
    expect((await post('compliance', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('retention shreds content older than the policy keeps, except under a hold', async () => {
    const fresh = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] });
    const [aliceSeq, bobSeq] = await appendEntries(test, fresh, [recalledDraft(fresh, 'alice', 'old news'), recalledDraft(fresh, 'bob', 'held news')]);
    await test.request({
      method: 'POST',
      url: '/api/v1/legal-holds',
      token: fresh.users.compliance.token,
      payload: { scope: 'USER', subjectUserId: fresh.users.bob.id, matter: 'keep' },
    });
    const jobs = test.app.get(AuditJobs);
    expect(await jobs.applyRetention(fresh.id, new Date())).toBe(0);
    const later = new Date(Date.now() + 2600 * 86_400_000);
    expect(await jobs.applyRetention(fresh.id, later)).toBe(1);
    const read = (seq: number) =>
      test.request({ method: 'GET', url: `/api/v1/audit/${seq}`, token: fresh.users.compliance.token }).then((r) => r.json().content);
    expect(await read(aliceSeq)).toMatchObject({ state: 'ERASED', reason: 'RETENTION' });
    expect(await read(bobSeq)).toMatchObject({ state: 'READABLE' });
    const verify = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: fresh.users.compliance.token, payload: {} });
    expect(verify.json().ok).toBe(true);
  });
  it('names the people and the conversation an entry concerns, and cuts long lists in a page but not in the entry', async () => {
    const fresh = await createTenant(test, { compliance: ['COMPLIANCE'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] });
    const created = await test.request({
      method: 'POST',
      url: '/api/v1/conversations',
      token: fresh.users.alice.token,
      payload: { kind: 'GROUP', title: 'Budget', memberIds: [fresh.users.bob.id] },
    });
    expect(created.statusCode).toBe(201);
    const keyIds = Array.from({ length: 25 }, () => crypto.randomUUID());
    const [recall, shred] = await appendEntries(test, fresh, [
      recalledDraft(fresh, 'alice', 'budget draft', { conversationId: created.json().id }),
      { action: 'RETENTION_SHREDDED', actorId: null, details: { retentionDays: 30, dataKeyIds: keyIds } },
    ]);
    const page = (await test.request({ method: 'GET', url: '/api/v1/audit', token: fresh.users.compliance.token })).json().items;
    const listed = (seq: number) => page.find((item: { seq: number }) => item.seq === seq);
    expect(listed(recall)).toMatchObject({
      subject: { id: fresh.users.alice.id, displayName: 'alice' },
      details: { recipients: [fresh.users.bob.id] },
      abridged: {},
    });
    expect(listed(shred).details.dataKeyIds).toEqual(keyIds.slice(0, 20));
    expect(listed(shred).abridged).toEqual({ dataKeyIds: 25 });
    const entry = (seq: number) => test.request({ method: 'GET', url: `/api/v1/audit/${seq}`, token: fresh.users.compliance.token }).then((r) => r.json());
    expect((await entry(shred)).details.dataKeyIds).toEqual(keyIds);
    expect((await entry(recall)).conversation).toEqual({
      id: created.json().id,
      kind: 'GROUP',
      title: 'Budget',
      members: expect.arrayContaining([
        { id: fresh.users.alice.id, displayName: 'alice' },
        { id: fresh.users.bob.id, displayName: 'bob' },
      ]),
      memberCount: 2,
    });
  });
});
