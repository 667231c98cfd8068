import { decodeBase64, verifyExport } from '@retract/audit-log';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditExport } from '../src/modules/audit/audit-export';
import { WebhookDispatcher } from '../src/modules/webhooks/webhook-dispatcher';
import { createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { PASSWORD, requireEnv, signInChoosingOwnPassword, startTestApp, type TestApp, type TestUser } from './test-app';
import { Receiver } from './webhooks-fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const NAME = 'Erin Quillfeather';
const RECALL_REASON = 'sent the Zanzibar clinic letter by mistake';
const FORCED_REASON = 'holds the Marmalade Street home address';
const MATTER = 'Matter Ostrich-Lagoon';
const REFUSAL_REASON = 'subject access request Pelican-55';

type Listed = {
  seq: number;
  action: string;
  actorId: string | null;
  actor: { displayName: string } | null;
  reason: string | null;
  personalData: string | null;
};

/**
 * Erasure removes a person's personal data from the audit trail, not only their recalled content
 * (docs/audit-log.md, "Personal data"): the email, name and free text that entries and events carry
 * about them are sealed under their key or never stored, so destroying the key leaves nothing
 * readable — in the API, the exports or the raw rows — while the log still verifies.
 */
describe('erasure of a person', () => {
  let test: TestApp;
  let owner: Client;
  let receiver: Receiver;
  let tenant: MessagingTenant;
  let erin: TestUser & { email: string };
  let direct: string;
  const dir = mkdtempSync(join(tmpdir(), 'retract-erasure-'));

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: '4', WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiver.port}` });
    owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    await owner.connect();
    tenant = await createMessagingTenant(test);
    const { admin, compliance, bob } = tenant.users;

    const hook = await as(admin).post('/api/v1/webhooks', { url: receiver.url, eventTypes: ['message.created', 'message.recalled'] });
    expect(hook.statusCode).toBe(201);
    receiver.secret = hook.json().secret;

    const email = `erin.quillfeather.${tenant.slug}@example.test`;
    const created = await as(admin).post('/api/v1/users', { email, displayName: NAME, roles: ['EMPLOYEE'], password: PASSWORD });
    expect(created.statusCode).toBe(201);
    const { token } = await signInChoosingOwnPassword(test, tenant.slug, email, PASSWORD);
    erin = { id: created.json().id, email, roles: ['EMPLOYEE'], token };

    const conversation = await as(erin).post('/api/v1/conversations', { kind: 'DIRECT', memberIds: [bob.id] });
    expect(conversation.statusCode).toBe(201);
    direct = conversation.json().id;
    const first = await sendText(test, erin, direct, 'first draft');
    const second = await sendText(test, erin, direct, 'second draft');
    expect((await recall(test, erin, first, { reason: RECALL_REASON })).statusCode).toBe(200);
    expect((await recall(test, compliance, second, { force: true, reason: FORCED_REASON })).statusCode).toBe(200);
    expect((await as(admin).patch(`/api/v1/users/${erin.id}`, { roles: ['EMPLOYEE', 'ADMIN'] })).statusCode).toBe(200);
    expect((await as(admin).patch(`/api/v1/users/${erin.id}`, { password: `${PASSWORD} again` })).statusCode).toBe(200);

    const hold = await as(compliance).post('/api/v1/legal-holds', { scope: 'USER', subjectUserId: erin.id, matter: MATTER });
    expect(hold.statusCode).toBe(201);
    expect((await as(compliance).post('/api/v1/erasure-requests', { subjectUserId: erin.id, reason: REFUSAL_REASON })).statusCode).toBe(409);
    expect((await as(compliance).delete(`/api/v1/legal-holds/${hold.json().id}`)).statusCode).toBe(200);
  });
  afterAll(async () => {
    await owner.end();
    await receiver.close();
    await test.close();
  });

  function as(user: TestUser) {
    return {
      get: (url: string) => test.request({ method: 'GET', url, token: user.token }),
      post: (url: string, payload: unknown = {}) => test.request({ method: 'POST', url, token: user.token, payload }),
      patch: (url: string, payload: unknown) => test.request({ method: 'PATCH', url, token: user.token, payload }),
      delete: (url: string) => test.request({ method: 'DELETE', url, token: user.token }),
    };
  }

  const compliance = () => as(tenant.users.compliance);
  const personal = () => [erin.email, NAME, RECALL_REASON, FORCED_REASON, MATTER, REFUSAL_REASON];
  const entriesAboutErin = async (): Promise<Listed[]> => (await compliance().get(`/api/v1/audit?subjectUserId=${erin.id}&limit=200`)).json().items;
  const bySeq = async (seq: number) => (await compliance().get(`/api/v1/audit/${seq}`)).json();

  /** Every stored row of the organisation that could carry a person's data, as text (leaves decoded). */
  async function storedRows(): Promise<string> {
    const tables = ['audit_pending', 'events', 'webhook_deliveries', 'users', 'sessions', 'role_grants'];
    const texts: string[] = [];
    const entries = await owner.query<{ text: string }>(
      `SELECT convert_from(leaf, 'UTF8') || ' ' || search_text || ' ' || e::text AS text FROM audit_entries e WHERE tenant_id = $1`,
      [tenant.id],
    );
    expect(entries.rows.length).toBeGreaterThan(5);
    texts.push(...entries.rows.map((row) => row.text));
    for (const table of tables) {
      const { rows } = await owner.query<{ text: string }>(`SELECT t::text AS text FROM ${table} t WHERE tenant_id = $1`, [tenant.id]);
      texts.push(...rows.map((row) => row.text));
    }
    return texts.join('\n').toLowerCase();
  }

  const expectNoneOf = (text: string, values: string[]) => {
    for (const value of values) expect({ value, found: text.toLowerCase().includes(value.toLowerCase()) }).toEqual({ value, found: false });
  };

  async function jsonlExport(): Promise<string[]> {
    const response = await compliance().get('/api/v1/audit/export?format=jsonl');
    expect(response.statusCode).toBe(200);
    return response.body.trim().split('\n');
  }

  it('before erasure, compliance reads the reasons, email, matters and names, opened with the person’s key', async () => {
    const items = await entriesAboutErin();
    const reasonOf = (action: string) => items.filter((item) => item.action === action).map((item) => item.reason);
    expect(reasonOf('MESSAGE_RECALLED').sort()).toEqual([FORCED_REASON, RECALL_REASON].sort());
    expect(reasonOf('LEGAL_HOLD_PLACED')).toEqual([MATTER]);
    expect(reasonOf('LEGAL_HOLD_RELEASED')).toEqual([MATTER]);
    expect(reasonOf('ERASURE_REFUSED')).toEqual([REFUSAL_REASON]);
    expect(items.filter((item) => item.reason !== null).every((item) => item.personalData === 'READABLE')).toBe(true);
    expect(items.find((item) => item.actorId === erin.id)?.actor?.displayName).toBe(NAME);

    const created = await bySeq(items.find((item) => item.action === 'USER_CREATED')!.seq);
    expect(created).toMatchObject({ subject: { id: erin.id, displayName: NAME, email: erin.email }, details: { email: erin.email, roles: ['EMPLOYEE'] } });
    const refusal = await bySeq(items.find((item) => item.action === 'ERASURE_REFUSED')!.seq);
    expect(refusal.details).toMatchObject({ matters: [MATTER] });
    expect(items.map((item) => item.action)).toEqual(expect.arrayContaining(['ROLE_CHANGED', 'PASSWORD_CHANGED', 'USER_CREATED']));

    const events = (await as(tenant.users.bob).get('/api/v1/events?limit=500')).json().items as { type: string; data: { senderName?: string } }[];
    expect(events.filter((event) => event.type === 'message.created').map((event) => event.data.senderName)).toEqual([NAME, NAME]);
  });

  it('keeps personal data out of the clear at rest: leaves, searchable copies, events and deliveries', async () => {
    expectNoneOf(await storedRows(), personal().slice(2));
    const rows = await storedRows();
    // Only the users table names the person, until erasure.
    expect(rows.split('\n').filter((row) => row.includes(erin.email.toLowerCase()) || row.includes(NAME.toLowerCase()))).toHaveLength(1);
  });

  it('an erasure refuses the officer’s own account (403)', async () => {
    const self = await compliance().post('/api/v1/erasure-requests', { subjectUserId: tenant.users.compliance.id, reason: 'leaving' });
    expect(self.statusCode).toBe(403);
  });

  describe('after erasure', () => {
    let erasedSeq: number;

    beforeAll(async () => {
      const erased = await compliance().post('/api/v1/erasure-requests', { subjectUserId: erin.id, reason: 'Ticket ER-1' });
      expect(erased.statusCode).toBe(200);
      erasedSeq = erased.json().auditSeq;
      // Deliveries still queued when the person was erased go out without their name.
      await test.app.get(WebhookDispatcher).deliverDue(tenant.id);
    });

    it('the listing and every entry about the person show neither their email, name nor reasons; names resolve to an erased person', async () => {
      const listing = await compliance().get('/api/v1/audit?limit=200');
      expectNoneOf(listing.body, personal());
      const items = await entriesAboutErin();
      for (const item of items.filter((entry) => entry.seq < erasedSeq)) {
        if (item.personalData !== null) expect(item).toMatchObject({ personalData: 'ERASED', reason: null });
        if (item.actorId === erin.id) expect(item.actor).toBeNull();
        const detail = await compliance().get(`/api/v1/audit/${item.seq}`);
        expect(detail.statusCode).toBe(200);
        expect(detail.json().subject).toBeNull();
        expectNoneOf(detail.body, personal());
      }
      expect(items.filter((item) => item.personalData === 'ERASED').map((item) => item.action)).toEqual(
        expect.arrayContaining(['MESSAGE_RECALLED', 'LEGAL_HOLD_PLACED', 'LEGAL_HOLD_RELEASED', 'ERASURE_REFUSED', 'USER_CREATED']),
      );
      expect((await bySeq(erasedSeq)).reason).toBe('Ticket ER-1');
    });

    it('neither export carries them, and both the offline verifier and the API verify the log', async () => {
      const lines = await jsonlExport();
      const leaves = lines
        .map((line) => JSON.parse(line) as { type: string; leaf?: string })
        .filter((line) => line.type === 'entry')
        .map((line) => new TextDecoder().decode(decodeBase64(line.leaf!)));
      expect(leaves.some((leaf) => leaf.includes(`"subjectUserId":"${erin.id}"`) && leaf.includes('"personal":{'))).toBe(true);
      expectNoneOf([...lines, ...leaves].join('\n'), personal());
      expect(await verifyExport(lines)).toMatchObject({ ok: true, problems: [] });

      const file = join(dir, 'export.jsonl');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const offline = spawnSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/verify/src/main.ts'), file, '--quiet'], {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), NODE_OPTIONS: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: offline.status, output: offline.stdout + offline.stderr }).toMatchObject({ status: 0 });

      const csv = await compliance().get('/api/v1/audit/export?format=csv');
      expect(csv.statusCode).toBe(200);
      expectNoneOf(csv.body, personal());
      expect((await compliance().post('/api/v1/audit/verify')).json()).toMatchObject({ ok: true, problems: [] });
    });

    it('no stored row of the organisation holds them: audit entries, pending entries, events, webhook deliveries, users, sessions', async () => {
      expectNoneOf(await storedRows(), personal());
      const exporter = test.app.get(AuditExport);
      const range = await exporter.resolveRange({ tenantId: tenant.id }, {});
      expect(range.toSeq).toBeGreaterThan(erasedSeq - 1);
    });

    it('events and webhook payloads name the sender as erased', async () => {
      const events = (await as(tenant.users.bob).get('/api/v1/events?limit=500')).json().items as { type: string; data: { senderName?: string } }[];
      expect(events.filter((event) => event.type === 'message.created').map((event) => event.data.senderName)).toEqual(['Erased user', 'Erased user']);
      expect(receiver.received.length).toBeGreaterThanOrEqual(4);
      expect(receiver.received.every((delivery) => delivery.verdict === 'ok')).toBe(true);
      expectNoneOf(receiver.received.map((delivery) => delivery.body).join('\n'), personal());
    });

    it('the account is closed for good: no login, no change by an administrator', async () => {
      const login = await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenant.slug, email: erin.email, password: PASSWORD } });
      expect(login.statusCode).toBe(401);
      expect((await as(tenant.users.admin).patch(`/api/v1/users/${erin.id}`, { displayName: NAME, active: true })).statusCode).toBe(409);
      const listed = await as(tenant.users.admin).get('/api/v1/users?limit=200');
      expectNoneOf(listed.body, [erin.email, NAME]);
    });
  });
});
