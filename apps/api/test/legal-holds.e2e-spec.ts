import { AuditJobs } from '../src/modules/audit/audit-jobs';
import { createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

type Listed = { seq: number; action: string; subjectUserId: string | null; conversationId: string | null; reason: string | null };

describe('legal holds', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  const as = (tenant: MessagingTenant, who: string) => ({
    get: (url: string) => test.request({ method: 'GET', url, token: tenant.users[who].token }),
    post: (url: string, payload: unknown = {}) => test.request({ method: 'POST', url, token: tenant.users[who].token, payload }),
    delete: (url: string) => test.request({ method: 'DELETE', url, token: tenant.users[who].token }),
  });

  describe('stay confidential in the audit trail', () => {
    const MATTER = 'Matter Zephyr v. Acme';
    let tenant: MessagingTenant;
    let holdSeqs: number[];
    let refusalSeq: number;

    beforeAll(async () => {
      tenant = await createMessagingTenant(test);
      const compliance = as(tenant, 'compliance');
      const onBob = await compliance.post('/api/v1/legal-holds', { scope: 'USER', subjectUserId: tenant.users.bob.id, matter: MATTER });
      expect(onBob.statusCode).toBe(201);
      const onLaunch = await compliance.post('/api/v1/legal-holds', { scope: 'CONVERSATION', conversationId: tenant.launch, matter: `${MATTER} (Launch)` });
      expect(onLaunch.statusCode).toBe(201);
      expect((await compliance.delete(`/api/v1/legal-holds/${onLaunch.json().id}`)).statusCode).toBe(200);
      const refused = await compliance.post('/api/v1/erasure-requests', { subjectUserId: tenant.users.bob.id, reason: 'GDPR request' });
      expect(refused.statusCode).toBe(409);
      const items: Listed[] = (await compliance.get('/api/v1/audit?limit=200')).json().items;
      holdSeqs = items.filter((item) => item.action.startsWith('LEGAL_HOLD_')).map((item) => item.seq);
      refusalSeq = items.find((item) => item.action === 'ERASURE_REFUSED')!.seq;
      expect(holdSeqs).toHaveLength(3);
    });

    it('an admin listing the log sees that holds were placed and released, not their matters or subjects', async () => {
      const response = await as(tenant, 'admin').get('/api/v1/audit?limit=200');
      expect(response.statusCode).toBe(200);
      const items: Listed[] = response.json().items;
      const holdEntries = items.filter((item) => item.action.startsWith('LEGAL_HOLD_') || item.action === 'ERASURE_REFUSED');
      expect(holdEntries.map((item) => item.action).sort()).toEqual(['ERASURE_REFUSED', 'LEGAL_HOLD_PLACED', 'LEGAL_HOLD_PLACED', 'LEGAL_HOLD_RELEASED']);
      for (const item of holdEntries) expect(item).toMatchObject({ subjectUserId: null, conversationId: null, reason: null });
      expect(response.body).not.toContain('Zephyr');
    });

    it('an admin opening a hold entry or the refusal sees neither the matter, the subject nor the leaf; compliance sees all', async () => {
      for (const seq of [...holdSeqs, refusalSeq]) {
        const admin = await as(tenant, 'admin').get(`/api/v1/audit/${seq}`);
        expect(admin.statusCode).toBe(200);
        expect(admin.body).not.toContain('Zephyr');
        expect(admin.body).not.toContain(tenant.users.bob.id);
        expect(admin.body).not.toContain(tenant.launch);
        expect(admin.json()).toMatchObject({ leaf: null, subject: null, subjectUserId: null, conversationId: null, reason: null });
        const compliance = (await as(tenant, 'compliance').get(`/api/v1/audit/${seq}`)).json();
        // The matter is sealed in the leaf (docs/audit-log.md, "Personal data"), and opened for compliance.
        expect(JSON.stringify([compliance.reason, compliance.details])).toContain('Zephyr');
        const leaf = Buffer.from(compliance.leaf, 'base64').toString('utf8');
        expect(leaf).not.toContain('Zephyr');
        expect(leaf).toContain('"personal":{');
      }
      const placed = (await as(tenant, 'admin').get(`/api/v1/audit/${holdSeqs[0]}`)).json();
      expect(Object.keys(placed.details)).toEqual(['scope']);
      const refusal = (await as(tenant, 'compliance').get(`/api/v1/audit/${refusalSeq}`)).json();
      expect(refusal).toMatchObject({ subjectUserId: tenant.users.bob.id, details: { matters: [MATTER] } });
    });

    it('nobody finds the matter text by searching: it is sealed, never a searchable copy', async () => {
      for (const who of ['admin', 'compliance']) {
        const items: Listed[] = (await as(tenant, who).get('/api/v1/audit?limit=200&q=zephyr')).json().items;
        expect(items).toEqual([]);
      }
    });

    it.each([
      ['the subject', () => `subjectUserId=${tenant.users.bob.id}`],
      ['the conversation', () => `conversationId=${tenant.launch}`],
    ])('an admin cannot find out %s by filtering on it', async (_what, filter) => {
      const admin: Listed[] = (await as(tenant, 'admin').get(`/api/v1/audit?limit=200&${filter()}`)).json().items;
      expect(admin.filter((item) => item.action.startsWith('LEGAL_HOLD_') || item.action === 'ERASURE_REFUSED')).toEqual([]);
      const compliance: Listed[] = (await as(tenant, 'compliance').get(`/api/v1/audit?limit=200&${filter()}`)).json().items;
      expect(compliance.some((item) => item.action.startsWith('LEGAL_HOLD_'))).toBe(true);
    });
  });

  describe('a USER hold covers what others sent to the held person', () => {
    let tenant: MessagingTenant;
    let toBobSeq: number;
    let toCarolSeq: number;

    beforeAll(async () => {
      tenant = await createMessagingTenant(test);
      const { alice, carol } = tenant.users;
      expect((await recall(test, alice, await sendText(test, alice, tenant.direct, 'alice to bob: the price is 42'))).statusCode).toBe(200);
      const aliceCarol = await test.request({
        method: 'POST',
        url: '/api/v1/conversations',
        token: alice.token,
        payload: { kind: 'DIRECT', memberIds: [carol.id] },
      });
      expect((await recall(test, alice, await sendText(test, alice, aliceCarol.json().id, 'alice to carol'))).statusCode).toBe(200);
      const recalls: Listed[] = (await as(tenant, 'compliance').get('/api/v1/audit?action=MESSAGE_RECALLED')).json().items;
      toBobSeq = recalls.find((item) => item.conversationId === tenant.direct)!.seq;
      toCarolSeq = recalls.find((item) => item.conversationId !== tenant.direct)!.seq;
      const hold = await as(tenant, 'compliance').post('/api/v1/legal-holds', {
        scope: 'USER',
        subjectUserId: tenant.users.bob.id,
        matter: 'Bob investigation',
      });
      expect(hold.statusCode).toBe(201);
    });

    const content = (seq: number) =>
      as(tenant, 'compliance')
        .get(`/api/v1/audit/${seq}`)
        .then((response) => response.json().content);

    it('erasing the sender is refused (her data key also seals what she sent to the held person), and recorded', async () => {
      const refused = await as(tenant, 'compliance').post('/api/v1/erasure-requests', {
        subjectUserId: tenant.users.alice.id,
        reason: 'GDPR request of alice',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('LEGAL_HOLD_ACTIVE');
      expect(await content(toBobSeq)).toMatchObject({ state: 'READABLE', value: { body: 'alice to bob: the price is 42' } });
      const refusals: Listed[] = (await as(tenant, 'compliance').get(`/api/v1/audit?action=ERASURE_REFUSED`)).json().items;
      expect(refusals.map((item) => item.subjectUserId)).toEqual([tenant.users.alice.id]);
    });

    it('retention keeps the sender’s key that seals content sent to the held person', async () => {
      const later = new Date(Date.now() + 3000 * 86_400_000);
      await test.app.get(AuditJobs).applyRetention(tenant.id, later);
      expect(await content(toBobSeq)).toMatchObject({ state: 'READABLE' });
      expect(await content(toCarolSeq)).toMatchObject({ state: 'READABLE' }); // same key: same month, same sender
      expect((await as(tenant, 'compliance').post('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
    });
  });
});
