import { decodeBase64, encodeBase64, hashLeaf, verifyProofBundle } from '@retract/audit-log';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEntries, policyDraft, recalledDraft } from './audit-fixtures';
import { createMessagingTenant, placeHold, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** The people directory (GET /people) and cases (GET /cases, GET /cases/export): docs/audit-log.md, "Cases". */
describe('people directory and cases', () => {
  let test: TestApp;
  let tenant: MessagingTenant;
  let other: MessagingTenant;
  const dir = mkdtempSync(join(tmpdir(), 'retract-case-'));

  const get = (who: string, url: string, on: MessagingTenant = tenant) => test.request({ method: 'GET', url, token: on.users[who].token });

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createMessagingTenant(test);
    other = await createMessagingTenant(test);
    // Carol's message is force-recalled by the compliance officer: carol is its subject, never its actor.
    const carolSaid = await sendText(test, tenant.users.carol, tenant.launch, 'the launch date is 12 May');
    expect((await recall(test, tenant.users.compliance, carolSaid, { force: true, reason: 'leaked date' })).statusCode).toBe(200);
    await placeHold(test, tenant.users.compliance, { scope: 'USER', subjectUserId: tenant.users.bob.id, matter: 'Smith v. Acme' });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await test.close();
  });

  describe('GET /people', () => {
    it('finds a person by part of the name or email for a compliance officer, with roles, active and their holds', async () => {
      const byName = await get('compliance', '/api/v1/people?q=BO');
      expect(byName.statusCode).toBe(200);
      expect(byName.json().items).toEqual([
        expect.objectContaining({
          id: tenant.users.bob.id,
          displayName: 'bob',
          email: tenant.users.bob.email,
          roles: ['EMPLOYEE'],
          active: true,
          erased: false,
          activeHolds: 1,
        }),
      ]);
      const byEmail = (await get('compliance', `/api/v1/people?q=${encodeURIComponent(tenant.users.carol.email)}`)).json();
      expect(byEmail.items.map((person: { id: string }) => person.id)).toEqual([tenant.users.carol.id]);
      expect(byEmail.items[0].activeHolds).toBe(0);
      const pasted = (await get('compliance', `/api/v1/people?q=${tenant.users.carol.id.toUpperCase()}`)).json();
      expect(pasted.items.map((person: { id: string }) => person.id)).toEqual([tenant.users.carol.id]);
      const byId = (await get('compliance', `/api/v1/people?personId=${tenant.users.carol.id}`)).json();
      expect(byId.items.map((person: { email: string }) => person.email)).toEqual([tenant.users.carol.email]);
      expect((await get('compliance', `/api/v1/people?personId=${other.users.carol.id}`)).json().items).toEqual([]);
    });

    it('shows administrators the directory without legal holds, and refuses employees', async () => {
      const admin = await get('admin', '/api/v1/people?q=bob');
      expect(admin.statusCode).toBe(200);
      expect(admin.json().items[0]).toMatchObject({ id: tenant.users.bob.id, activeHolds: null });
      const employee = await get('alice', '/api/v1/people');
      expect(employee.statusCode).toBe(403);
    });

    it('lists only the caller’s organisation, page by page in name order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await get('compliance', `/api/v1/people?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.statusCode).toBe(200);
        seen.push(...page.json().items.map((person: { displayName: string }) => person.displayName));
        cursor = page.json().nextCursor;
      } while (cursor);
      expect(seen).toEqual(['admin', 'alice', 'bob', 'carol', 'compliance', 'dave']);
      const elsewhere = (await get('compliance', `/api/v1/people?q=${encodeURIComponent(other.users.bob.email)}`)).json();
      expect(elsewhere.items).toEqual([]);
    });

    it('answers a forged cursor with a problem, never a 500', async () => {
      for (const cursor of ['AA', Buffer.from('["bob","not-a-uuid"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
        const response = await get('compliance', `/api/v1/people?cursor=${cursor}`);
        expect(response.statusCode).toBe(400);
        expect(response.json().errors[0].field).toBe('query.cursor');
      }
    });
  });

  describe('GET /cases', () => {
    it('holds what the log says about a person as actor or subject: carol’s forced recall and its view', async () => {
      const recalled = (await get('compliance', '/api/v1/audit?action=MESSAGE_RECALLED')).json().items[0];
      expect((await get('compliance', `/api/v1/audit/${recalled.seq}`)).statusCode).toBe(200); // a view of carol's content
      const timeline = await get('compliance', `/api/v1/cases?personId=${tenant.users.carol.id}`);
      expect(timeline.statusCode).toBe(200);
      const actions = timeline.json().items.map((entry: { action: string }) => entry.action);
      expect(actions).toEqual(expect.arrayContaining(['MESSAGE_RECALLED', 'AUDIT_CONTENT_VIEWED']));
      expect(
        timeline
          .json()
          .items.every((entry: { actorId: string; subjectUserId: string }) => [entry.actorId, entry.subjectUserId].includes(tenant.users.carol.id)),
      ).toBe(true);
      const seqs = timeline.json().items.map((entry: { seq: number }) => entry.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      // Every person is named, as on the audit list: the officer who acted and carol it is about.
      expect(timeline.json().items.find((entry: { action: string }) => entry.action === 'MESSAGE_RECALLED')).toMatchObject({
        actor: { id: tenant.users.compliance.id, displayName: expect.any(String) },
        subject: { id: tenant.users.carol.id, displayName: 'carol' },
      });
    });

    it('holds a conversation’s entries, narrowed to a period', async () => {
      const all = (await get('compliance', `/api/v1/cases?conversationId=${tenant.launch}`)).json().items;
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((entry: { conversationId: string }) => entry.conversationId === tenant.launch)).toBe(true);
      const future = (await get('compliance', `/api/v1/cases?conversationId=${tenant.launch}&from=2999-01-01T00:00:00Z`)).json().items;
      expect(future).toEqual([]);
    });

    it('narrows to the person in the conversation when both are given', async () => {
      const both = (await get('compliance', `/api/v1/cases?personId=${tenant.users.carol.id}&conversationId=${tenant.launch}`)).json().items;
      expect(both.length).toBeGreaterThan(0);
      expect(both.every((entry: { conversationId: string }) => entry.conversationId === tenant.launch)).toBe(true);
      expect((await get('compliance', `/api/v1/cases?personId=${tenant.users.carol.id}&conversationId=${tenant.direct}`)).json().items).toEqual([]);
    });

    it('answers 404 for another organisation’s person or conversation, 400 for a bad period, 403 to administrators and employees', async () => {
      expect((await get('compliance', `/api/v1/cases?personId=${other.users.carol.id}`)).statusCode).toBe(404);
      expect((await get('compliance', `/api/v1/cases?conversationId=${other.launch}`)).statusCode).toBe(404);
      expect((await get('compliance', `/api/v1/cases?personId=${tenant.users.carol.id}&from=yesterday`)).statusCode).toBe(400);
      expect((await get('compliance', `/api/v1/cases?personId=not-a-uuid`)).statusCode).toBe(400);
      expect((await get('admin', `/api/v1/cases?personId=${tenant.users.carol.id}`)).statusCode).toBe(403);
      expect((await get('alice', `/api/v1/cases?personId=${tenant.users.carol.id}`)).statusCode).toBe(403);
      expect((await get('alice', `/api/v1/cases/export?personId=${tenant.users.carol.id}`)).statusCode).toBe(403);
    });
  });

  describe('GET /cases/export', () => {
    let files: { jsonl: string; csv: string; summary: string };
    let response: Awaited<ReturnType<typeof get>>;

    beforeAll(async () => {
      response = await get('compliance', `/api/v1/cases/export?personId=${tenant.users.carol.id}`);
      const archive = join(dir, 'case.tar');
      writeFileSync(archive, response.rawPayload);
      execFileSync('tar', ['-xf', archive, '-C', dir]);
      const read = (name: string) => readFileSync(join(dir, name), 'utf8');
      files = { jsonl: read('case.jsonl'), csv: read('case.csv'), summary: read('summary.txt') };
    });

    it('answers a tar of case.jsonl, case.csv and summary.txt', () => {
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-tar');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="case-person-[0-9a-f]{8}-.+\.tar"$/);
      expect(
        execFileSync('tar', ['-tf', join(dir, 'case.tar')], { encoding: 'utf8' })
          .trim()
          .split('\n'),
      ).toEqual(['case.jsonl', 'case.csv', 'summary.txt']);
      expect(files.summary).toContain(`person carol <${tenant.users.carol.email}>`);
      expect(files.summary).toContain('npm run verify -- ~/Downloads/case.jsonl --trusted-key');
      expect(files.csv.split('\r\n')[0]).toMatch(/^seq,occurred_at,action,/);
    });

    it('records the export about the person, and the bundle carries that record, proved against a signed checkpoint', async () => {
      const keys = (await get('compliance', '/api/v1/audit/public-keys')).json().keys.map((key: { vkey: string }) => key.vkey);
      const result = await verifyProofBundle(files.jsonl.trim().split('\n'), { trustedKeys: keys });
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      const timeline = (await get('compliance', `/api/v1/cases?personId=${tenant.users.carol.id}`)).json().items;
      const exported = timeline.find((entry: { action: string }) => entry.action === 'EXPORT_CREATED');
      expect(exported).toMatchObject({ actorId: tenant.users.compliance.id, subjectUserId: tenant.users.carol.id });
      expect(result.seqs).toEqual(timeline.map((entry: { seq: number }) => entry.seq).sort((a: number, b: number) => a - b));
      expect(files.csv.trim().split('\r\n')).toHaveLength(1 + result.checked);
    });

    it('proves a long case spread over a longer log (proof nodes read in batches) and says how long it took', async () => {
      const { dave } = tenant.users;
      // 2,400 entries, one in three about dave, appended 40 at a time through the real write path.
      const drafts = Array.from({ length: 2400 }, (_, i) =>
        i % 3 === 0 ? recalledDraft(tenant, 'dave', `long case ${i}`) : policyDraft(tenant.users.admin.id, 1000 + i),
      );
      for (let i = 0; i < drafts.length; i += 40) await Promise.all(drafts.slice(i, i + 40).map((draft) => appendEntries(test, tenant, [draft])));
      const started = performance.now();
      const long = await get('compliance', `/api/v1/cases/export?personId=${dave.id}`);
      const elapsed = performance.now() - started;
      expect(long.statusCode).toBe(200);
      const archive = join(dir, 'long.tar');
      writeFileSync(archive, long.rawPayload);
      const jsonl = execFileSync('tar', ['-xOf', archive, 'case.jsonl'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const keys = (await get('compliance', '/api/v1/audit/public-keys')).json().keys.map((key: { vkey: string }) => key.vkey);
      const result = await verifyProofBundle(jsonl.trim().split('\n'), { trustedKeys: keys });
      expect(result.problems).toEqual([]);
      expect(result.checked).toBe(801); // 800 recalls and the export's own entry
      process.stdout.write(
        `case bundle: ${result.checked} entries of a ${result.treeSize}-entry log, ${long.rawPayload.length} bytes, ${elapsed.toFixed(0)} ms\n`,
      );
    });

    it('fails verification when an entry of the bundle is altered, even with its stored hash rewritten', async () => {
      const lines = files.jsonl.trim().split('\n');
      const at = lines.findIndex((line) => line.startsWith('{"type":"entry"'));
      const entry = JSON.parse(lines[at]);
      const leaf = decodeBase64(entry.leaf);
      leaf[leaf.length - 3] ^= 1;
      lines[at] = JSON.stringify({ ...entry, leaf: encodeBase64(leaf), leafHash: encodeBase64(hashLeaf(leaf)) });
      const result = await verifyProofBundle(lines);
      expect(result.ok).toBe(false);
      expect(result.firstBadSeq).toBe(entry.seq);
    });
  });
});
