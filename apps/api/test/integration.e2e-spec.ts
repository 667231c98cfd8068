import { hashLeaf } from '@retract/audit-log';
import { createHash, randomUUID } from 'node:crypto';
import { controlClock, type ControlledClock } from './messaging-fixtures';
import { createServiceAccount, decide, externalMessage, recordRecall } from './integration-fixtures';
import { createTenant, ownerDb, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * Integration mode over HTTP (docs/integration.md): service accounts, recall decisions, recorded
 * recalls with Idempotency-Key, the directory, and what compliance sees of external recalls.
 */
describe('integration mode', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let token: string;
  let clock: ControlledClock;
  const owner = () => ownerDb();

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createTenant(test);
    token = (await createServiceAccount(test, tenant.users.admin)).token;
  });
  beforeEach(() => {
    clock = controlClock(test);
  });
  afterEach(() => clock.restore());
  afterAll(() => test.close());

  const count = async (table: string) => {
    const db = owner();
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*)::bigint AS n FROM ${table} WHERE tenant_id = $1::uuid`, tenant.id);
    return Number(row.n);
  };

  describe('service accounts', () => {
    it('answers the token once (rtk_, 256 bits), stores only its SHA-256, and lists accounts without it', async () => {
      const created = await test.request({
        method: 'POST',
        url: '/api/v1/service-accounts',
        token: tenant.users.admin.token,
        payload: { name: 'Mattermost', scopes: ['recall:decide'] },
      });
      expect(created.statusCode).toBe(201);
      const body = created.json();
      expect(body.token).toMatch(/^rtk_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(body.token.slice(4), 'base64url')).toHaveLength(32);
      const [stored] = await owner().$queryRaw<{ token_hash: Buffer }[]>`SELECT token_hash FROM service_accounts WHERE id = ${body.id}::uuid`;
      expect(Buffer.from(stored.token_hash).equals(createHash('sha256').update(body.token).digest())).toBe(true);
      const list = await test.request({ method: 'GET', url: '/api/v1/service-accounts', token: tenant.users.admin.token });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(body.token);
      expect(list.json().items.find((item: { id: string }) => item.id === body.id)).toMatchObject({
        name: 'Mattermost',
        scopes: ['recall:decide'],
        createdBy: { id: tenant.users.admin.id },
        revokedAt: null,
      });
    });

    it('is for administrators only', async () => {
      for (const user of [tenant.users.compliance, tenant.users.alice]) {
        const response = await test.request({ method: 'GET', url: '/api/v1/service-accounts', token: user.token });
        expect(response.statusCode).toBe(403);
      }
    });

    it('works only on the routes its scopes allow: others, and every user route, answer 403', async () => {
      const decideOnly = (await createServiceAccount(test, tenant.users.admin, ['recall:decide'])).token;
      const payload = { message: externalMessage({ sentAt: clock.now() }), actor: { source: 'rocketchat', externalId: 'u-alice' } };
      expect((await decide(test, decideOnly, payload)).statusCode).toBe(200);
      expect((await recordRecall(test, decideOnly, { ...payload, content: { text: 'x' } })).statusCode).toBe(403);
      expect((await test.request({ method: 'PUT', url: '/api/v1/directory/people/rocketchat/u-x', token: decideOnly, payload: {} })).statusCode).toBe(403);
      for (const url of ['/api/v1/policy', '/api/v1/me', '/api/v1/audit', '/api/v1/service-accounts']) {
        expect((await test.request({ method: 'GET', url, token: decideOnly })).statusCode).toBe(403);
      }
      // A user's token does not reach the service routes either, and is told which token they take.
      const byPerson = [
        await decide(test, tenant.users.admin.token, payload),
        await recordRecall(test, tenant.users.admin.token, { ...payload, content: {} }),
        await test.request({ method: 'PUT', url: '/api/v1/directory/people/rocketchat/u-x', token: tenant.users.admin.token, payload: {} }),
      ];
      for (const response of byPerson) {
        expect(response.statusCode).toBe(403);
        expect(response.json().detail).toBe(
          "This route takes a service account's token (rtk_…), not a person's sign-in: an administrator creates one under Service accounts (docs/integration.md).",
        );
      }
    });

    it('is refused on the next request once revoked, and the revocation is audited', async () => {
      const account = await createServiceAccount(test, tenant.users.admin, ['recall:decide']);
      const payload = { message: externalMessage({ sentAt: clock.now() }), actor: { source: 'rocketchat', externalId: 'u-alice' } };
      expect((await decide(test, account.token, payload)).statusCode).toBe(200);
      const revoked = await test.request({ method: 'DELETE', url: `/api/v1/service-accounts/${account.id}`, token: tenant.users.admin.token });
      expect(revoked.statusCode).toBe(204);
      const refused = await decide(test, account.token, payload);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const audit = await test.request({ method: 'GET', url: '/api/v1/audit?action=SERVICE_ACCOUNT_REVOKED', token: tenant.users.compliance.token });
      expect(audit.json().items[0]).toMatchObject({ actorId: tenant.users.admin.id });
    });

    it("is bound to its organisation: another organisation's account id is 404, a made-up token 401", async () => {
      const other = await createTenant(test, { admin: ['ADMIN'] });
      const account = await createServiceAccount(test, other.users.admin, ['recall:decide']);
      expect((await test.request({ method: 'DELETE', url: `/api/v1/service-accounts/${account.id}`, token: tenant.users.admin.token })).statusCode).toBe(404);
      const payload = { message: externalMessage({ sentAt: clock.now() }), actor: { source: 'rocketchat', externalId: 'u-alice' } };
      expect((await decide(test, `rtk_${'A'.repeat(43)}`, payload)).statusCode).toBe(401);
    });
  });

  describe('POST /recall-decisions', () => {
    const actor = { source: 'rocketchat', externalId: 'u-alice' };

    it('allows a recall inside the window with the rule, version, window end and notices in en, zh-CN and ja; writes nothing', async () => {
      const before = await Promise.all(
        ['users', 'external_people', 'external_conversations', 'external_messages', 'audit_entries', 'audit_pending'].map(count),
      );
      const sentAt = new Date(clock.now().getTime() - 10_000);
      const response = await decide(test, token, { message: externalMessage({ sentAt, sender: 'u-alice' }), actor });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ allowed: true, rule: 'TENANT_DEFAULT', policyVersion: 1, windowEndsAt: new Date(sentAt.getTime() + 125_000).toISOString() });
      expect(body.code).toBeUndefined();
      expect(body.notices).toEqual({
        en: 'u-alice recalled a message',
        'zh-CN': 'u-alice 撤回了一条消息',
        ja: 'u-aliceがメッセージの送信を取り消しました',
      });
      const after = await Promise.all(['users', 'external_people', 'external_conversations', 'external_messages', 'audit_entries', 'audit_pending'].map(count));
      expect(after).toEqual(before);
    });

    it('answers WINDOW_EXPIRED and NOT_SENDER with the same codes as built-in recalls', async () => {
      const old = await decide(test, token, { message: externalMessage({ sentAt: new Date(clock.now().getTime() - 200_000) }), actor });
      expect(old.json()).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED', rule: 'TENANT_DEFAULT' });
      const other = await decide(test, token, { message: externalMessage({ sentAt: clock.now() }), actor: { source: 'rocketchat', externalId: 'u-bob' } });
      expect(other.json()).toMatchObject({ allowed: false, code: 'NOT_SENDER', rule: 'BUILT_IN:SENDER_ONLY' });
      const payment = await decide(test, token, { message: externalMessage({ sentAt: clock.now(), type: 'TRANSFER' }), actor });
      expect(payment.json()).toMatchObject({ allowed: false, code: 'TYPE_NOT_RECALLABLE' });
    });

    it('gives a refusal notices that say why, in every language, never that the message was recalled', async () => {
      const old = await decide(test, token, { message: externalMessage({ sentAt: new Date(clock.now().getTime() - 200_000) }), actor });
      expect(old.json().notices).toEqual({
        en: 'The message is 200 s old; it could be recalled for 120 s (+5 s grace).',
        'zh-CN': '该消息已发送 200 秒；只能在 120 秒内撤回（另有 5 秒宽限）。',
        ja: 'このメッセージは送信から 200 秒が経過しています。取り消せるのは 120 秒以内です（猶予 5 秒）。',
      });
      const other = await decide(test, token, { message: externalMessage({ sentAt: clock.now() }), actor: { source: 'rocketchat', externalId: 'u-bob' } });
      expect(other.json().notices).toEqual({
        en: 'Only the sender may recall a message.',
        'zh-CN': '只有发送者可以撤回消息。',
        ja: 'メッセージを取り消せるのは送信者だけです。',
      });
      const payment = await decide(test, token, { message: externalMessage({ sentAt: clock.now(), type: 'TRANSFER' }), actor });
      expect(payment.json().notices.en).toBe('TRANSFER is a payment and can never be recalled.');
    });

    it('gives the same answer for the same instant written in any time zone', async () => {
      const instant = new Date(Math.floor((clock.now().getTime() - 60_000) / 1000) * 1000);
      const tokyo = new Date(instant.getTime() + 9 * 3_600_000).toISOString().replace('Z', '+09:00');
      const id = `msg-${randomUUID()}`;
      const utc = await decide(test, token, { message: externalMessage({ sentAt: instant, id }), actor });
      const jst = await decide(test, token, { message: externalMessage({ sentAt: tokyo, id }), actor });
      expect(utc.json()).toEqual(jst.json());
      clock.advance(70_000);
      const later = await decide(test, token, { message: externalMessage({ sentAt: tokyo, id }), actor });
      expect(later.json()).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
    });

    it('judges a message from a clock running ahead beyond the skew by when Retract first saw it', async () => {
      const id = `msg-${randomUUID()}`;
      const trueSentAt = clock.now();
      const fast = new Date(trueSentAt.getTime() + 3_600_000); // the chat server's clock is an hour ahead
      const first = await decide(test, token, { message: externalMessage({ sentAt: fast, id }), actor });
      expect(first.json()).toMatchObject({ allowed: true, windowEndsAt: new Date(trueSentAt.getTime() + 125_000).toISOString() });
      clock.advance(126_000);
      const correct = await decide(test, token, { message: externalMessage({ sentAt: trueSentAt }), actor });
      const skewed = await decide(test, token, { message: externalMessage({ sentAt: new Date(fast.getTime()), id }), actor });
      expect(correct.json()).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
      expect(skewed.json()).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
    });

    it('trusts a sentAt ahead by no more than the skew (5 s by default)', async () => {
      const ahead = new Date(clock.now().getTime() + 4_000);
      const response = await decide(test, token, { message: externalMessage({ sentAt: ahead }), actor });
      expect(response.json().windowEndsAt).toBe(new Date(ahead.getTime() + 125_000).toISOString());
    });
  });

  describe('POST /recalls', () => {
    const actor = { source: 'rocketchat', externalId: 'u-alice' };
    const recallOf = (message: ReturnType<typeof externalMessage>, extra: Record<string, unknown> = {}) => ({
      message,
      actor,
      content: { text: 'the quarterly numbers are wrong', attachments: [{ name: 'q3.xlsx' }] },
      reason: 'wrong file',
      ...extra,
    });

    it('records an allowed recall: 201 with the decision, seq and leaf hash; compliance reads the content, which verifies like any entry', async () => {
      const message = externalMessage({ sentAt: new Date(clock.now().getTime() - 5_000) });
      const response = await recordRecall(test, token, recallOf(message));
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body.decision).toMatchObject({ allowed: true, rule: 'TENANT_DEFAULT', policyVersion: 1 });
      expect(body.auditSeq).toEqual(expect.any(Number));
      const entry = await test.request({ method: 'GET', url: `/api/v1/audit/${body.auditSeq}`, token: tenant.users.compliance.token, headers: {} });
      expect(entry.statusCode).toBe(200);
      const detail = entry.json();
      expect(detail).toMatchObject({
        action: 'MESSAGE_RECALLED',
        messageId: body.messageId,
        source: 'rocketchat',
        serviceAccount: { name: 'Rocket.Chat' },
        reason: 'wrong file',
        leafHash: body.leafHash,
        details: { source: 'rocketchat', external: { messageId: message.externalId, conversationId: 'room-general', sentAt: message.sentAt } },
      });
      expect(detail.content).toMatchObject({
        state: 'READABLE',
        value: { type: 'TEXT', body: 'the quarterly numbers are wrong', attachments: [{ name: 'q3.xlsx' }] },
      });
      // The leaf holds ciphertext only, and its hash is the one answered.
      const leaf = Buffer.from(detail.leaf, 'base64');
      expect(leaf.toString('utf8')).not.toContain('quarterly');
      expect(Buffer.from(hashLeaf(new Uint8Array(leaf))).toString('base64')).toBe(body.leafHash);
      const verify = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token, payload: {} });
      expect(verify.json()).toMatchObject({ ok: true });
      // The recalled text is in no table in the clear.
      const [hit] = await owner().$queryRaw<{ n: bigint }[]>`
        SELECT count(*)::bigint AS n FROM idempotency_keys WHERE response::text LIKE '%quarterly%'`;
      expect(Number(hit.n)).toBe(0);
    });

    it('names a person Retract knows no address for with a null email, never the placeholder, in entries and the people list', async () => {
      const sender = `u-${randomUUID()}`;
      const message = externalMessage({ sentAt: clock.now(), sender });
      const response = await recordRecall(test, token, { ...recallOf(message), actor: { source: 'rocketchat', externalId: sender } });
      expect(response.statusCode).toBe(201);
      const compliance = tenant.users.compliance.token;
      const entry = (await test.request({ method: 'GET', url: `/api/v1/audit/${response.json().auditSeq}`, token: compliance })).json();
      expect(entry.actor).toEqual({ id: entry.actorId, displayName: sender, email: null });
      expect(entry.subject).toEqual({ id: entry.actorId, displayName: sender, email: null });
      const listed = (await test.request({ method: 'GET', url: `/api/v1/audit?actorId=${entry.actorId}`, token: compliance })).json();
      expect(listed.items[0].actor).toEqual({ id: entry.actorId, displayName: sender, email: null });
      const people = (await test.request({ method: 'GET', url: `/api/v1/people?personId=${entry.actorId}`, token: compliance })).json();
      expect(people.items).toEqual([expect.objectContaining({ id: entry.actorId, email: null })]);
      expect(JSON.stringify([entry, listed, people])).not.toContain('.invalid');
    });

    it('refuses a recall outside the window with the denial problem and records the attempt (RECALL_DENIED)', async () => {
      const message = externalMessage({ sentAt: new Date(clock.now().getTime() - 600_000) });
      const response = await recordRecall(test, token, recallOf(message));
      expect(response.statusCode).toBe(422);
      const problem = response.json();
      expect(problem).toMatchObject({ code: 'WINDOW_EXPIRED', decidedBy: 'TENANT_DEFAULT', policyVersion: 1, auditSeq: expect.any(Number) });
      const entry = await test.request({ method: 'GET', url: `/api/v1/audit/${problem.auditSeq}`, token: tenant.users.compliance.token });
      expect(entry.json()).toMatchObject({ action: 'RECALL_DENIED', denialCode: 'WINDOW_EXPIRED', source: 'rocketchat', hasContent: false });
    });

    it('lists external recalls by source', async () => {
      const list = await test.request({ method: 'GET', url: '/api/v1/audit?source=rocketchat', token: tenant.users.compliance.token });
      expect(list.statusCode).toBe(200);
      const items = list.json().items as { source: string | null; action: string }[];
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((item) => item.source === 'rocketchat')).toBe(true);
      const none = await test.request({ method: 'GET', url: '/api/v1/audit?source=matrix', token: tenant.users.compliance.token });
      expect(none.json().items).toEqual([]);
    });

    it('announces the recall to webhooks with its source', async () => {
      const message = externalMessage({ sentAt: clock.now() });
      const response = await recordRecall(test, token, recallOf(message));
      const [event] = await owner().$queryRaw<{ type: string; payload: Record<string, unknown> }[]>`
        SELECT type, payload FROM events WHERE tenant_id = ${tenant.id}::uuid AND message_id = ${response.json().messageId}::uuid`;
      expect(event).toMatchObject({
        type: 'message.recalled',
        payload: { source: 'rocketchat', externalMessageId: message.externalId, externalConversationId: 'room-general', recallKind: 'SENDER' },
      });
    });

    it('requires an Idempotency-Key', async () => {
      const response = await recordRecall(test, token, recallOf(externalMessage({ sentAt: clock.now() })), null);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].field).toBe('header.Idempotency-Key');
    });

    it('answers the same key and body with the first answer (Idempotent-Replayed), and the same key with another body with 422', async () => {
      const key = randomUUID();
      const payload = recallOf(externalMessage({ sentAt: clock.now() }));
      const first = await recordRecall(test, token, payload, key);
      const again = await recordRecall(test, token, payload, `"${key}"`);
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      const other = await recordRecall(test, token, { ...payload, reason: 'another reason' }, key);
      expect(other.statusCode).toBe(422);
      expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('takes a blank reason as no reason, and replays it under its key (found by fuzzing: the fingerprint met an undefined member, 500)', async () => {
      const key = randomUUID();
      const payload = { ...recallOf(externalMessage({ sentAt: clock.now() })), reason: ' \t\n' };
      const first = await recordRecall(test, token, payload, key);
      expect(first.statusCode).toBe(201);
      const again = await recordRecall(test, token, payload, key);
      expect({ status: again.statusCode, replayed: again.headers['idempotent-replayed'] }).toEqual({ status: 201, replayed: 'true' });
    });

    it('replays a refusal too, without recording it twice', async () => {
      const key = randomUUID();
      const payload = recallOf(externalMessage({ sentAt: new Date(clock.now().getTime() - 600_000) }));
      const before = await count('audit_entries');
      const first = await recordRecall(test, token, payload, key);
      const again = await recordRecall(test, token, payload, key);
      expect(first.statusCode).toBe(422);
      expect(again.statusCode).toBe(422);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect({ ...again.json(), requestId: undefined }).toEqual({ ...first.json(), requestId: undefined });
      expect(await count('audit_entries')).toBe(before + 1);
    });

    it('50 concurrent identical requests: exactly one audit entry, one recall, and the same answer for all', async () => {
      clock.restore();
      const key = randomUUID();
      const message = externalMessage({ sentAt: new Date() });
      const payload = recallOf(message);
      const responses = await Promise.all(Array.from({ length: 50 }, () => recordRecall(test, token, payload, key)));
      const statuses = responses.map((response) => response.statusCode);
      expect(statuses).toEqual(Array.from({ length: 50 }, () => 201));
      const bodies = responses.map((response) => response.json());
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
      const entries = await owner().$queryRaw<{ n: bigint }[]>`
        SELECT count(*)::bigint AS n FROM audit_entries WHERE tenant_id = ${tenant.id}::uuid AND message_id = ${bodies[0].messageId}::uuid`;
      expect(Number(entries[0].n)).toBe(1);
      clock = controlClock(test);
    });

    it('a second recall of the same message with another key is ALREADY_RECALLED, not recorded again', async () => {
      const message = externalMessage({ sentAt: clock.now() });
      expect((await recordRecall(test, token, recallOf(message))).statusCode).toBe(201);
      const before = await count('audit_entries');
      const again = await recordRecall(test, token, recallOf(message));
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'ALREADY_RECALLED', auditSeq: null });
      expect(await count('audit_entries')).toBe(before);
    });
  });

  describe('PUT /directory/people/{source}/{externalId}', () => {
    it('names a person, who then appears in notices; the change is audited with the service account as actor', async () => {
      const put = await test.request({
        method: 'PUT',
        url: '/api/v1/directory/people/rocketchat/u-carol',
        token,
        payload: { displayName: 'Carol', email: 'Carol@Example.com', locale: 'ja' },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({
        source: 'rocketchat',
        externalId: 'u-carol',
        displayName: 'Carol',
        email: 'carol@example.com',
        locale: 'ja',
        created: true,
      });
      const answer = await decide(test, token, {
        message: externalMessage({ sentAt: clock.now(), sender: 'u-carol' }),
        actor: { source: 'rocketchat', externalId: 'u-carol' },
      });
      expect(answer.json().notices.en).toBe('Carol recalled a message');
      const audit = await test.request({ method: 'GET', url: '/api/v1/audit?action=DIRECTORY_PERSON_CHANGED', token: tenant.users.compliance.token });
      const entry = audit.json().items.find((item: { subjectUserId: string }) => item.subjectUserId === put.json().userId);
      expect(entry).toMatchObject({ serviceAccount: { name: 'Rocket.Chat' }, source: 'rocketchat', actor: null });
    });

    it('lists the directory’s entries about a chat system’s people under that source, and only there', async () => {
      const put = await test.request({ method: 'PUT', url: '/api/v1/directory/people/mattermost/m-dora', token, payload: { displayName: 'Dora' } });
      expect(put.statusCode).toBe(200);
      const bySource = async (source: string) =>
        (await test.request({ method: 'GET', url: `/api/v1/audit?source=${source}&action=DIRECTORY_PERSON_CHANGED`, token: tenant.users.compliance.token }))
          .json()
          .items.map((item: { subjectUserId: string; source: string }) => [item.subjectUserId, item.source]);
      expect(await bySource('mattermost')).toEqual([[put.json().userId, 'mattermost']]);
      expect(await bySource('rocketchat')).not.toContainEqual([put.json().userId, 'mattermost']);
      expect((await bySource('rocketchat')).length).toBeGreaterThan(0);
    });

    it("refuses an email another person has (409): a chat identity is never merged into someone else's account", async () => {
      const put = await test.request({
        method: 'PUT',
        url: '/api/v1/directory/people/rocketchat/u-mallory',
        token,
        payload: { email: tenant.users.admin.email },
        headers: { 'accept-language': 'ja' },
      });
      expect(put.statusCode).toBe(409);
      // It names the field and says what to do, in the reader's language.
      expect(put.json()).toMatchObject({
        code: 'CONFLICT',
        detail: expect.stringContaining('本人のアドレスを送信するか、email を省略してください'),
        errors: [{ field: 'email', code: 'taken' }],
      });
    });
  });

  describe('erasure of a chat system’s person', () => {
    it('takes the chat system’s id out of their mapping and removes the stored answers naming them; the entries keep their source', async () => {
      const named = await test.request({ method: 'PUT', url: '/api/v1/directory/people/rocketchat/u-zoe', token, payload: { displayName: 'Zoe Quillon' } });
      const userId = named.json().userId as string;
      const message = externalMessage({ sentAt: clock.now(), sender: 'u-zoe' });
      const key = randomUUID();
      const recorded = await recordRecall(test, token, { message, actor: { source: 'rocketchat', externalId: 'u-zoe' }, reason: 'typo' }, key);
      expect(recorded.statusCode).toBe(201);
      const storedNaming = async () =>
        Number(
          (
            await owner().$queryRaw<{ n: bigint }[]>`
              SELECT count(*)::bigint AS n FROM idempotency_keys WHERE tenant_id = ${tenant.id}::uuid AND response::text LIKE '%Zoe Quillon%'`
          )[0].n,
        );
      expect(await storedNaming()).toBe(1);

      const erased = await test.request({
        method: 'POST',
        url: '/api/v1/erasure-requests',
        token: tenant.users.compliance.token,
        payload: { subjectUserId: userId, reason: 'Art. 17 request' },
      });
      expect(erased.statusCode).toBe(200);
      const mappings = await owner().$queryRaw<{ external_id: string; source: string }[]>`
        SELECT external_id, source FROM external_people WHERE tenant_id = ${tenant.id}::uuid AND user_id = ${userId}::uuid`;
      expect(mappings).toEqual([{ external_id: `erased:${userId}`, source: 'rocketchat' }]);
      expect(await storedNaming()).toBe(0);
      const entry = await test.request({ method: 'GET', url: `/api/v1/audit/${erased.json().auditSeq}`, token: tenant.users.compliance.token });
      expect(entry.json().details).toMatchObject({ chatIdentitiesErased: 1, storedAnswersRemoved: 1 });
      const listed = await test.request({
        method: 'GET',
        url: '/api/v1/audit?source=rocketchat&action=DIRECTORY_PERSON_CHANGED',
        token: tenant.users.compliance.token,
      });
      expect(listed.json().items.map((item: { subjectUserId: string }) => item.subjectUserId)).toContain(userId);

      // The key's answer is gone: the same request is taken anew, and the message is recalled already.
      const again = await recordRecall(test, token, { message, actor: { source: 'rocketchat', externalId: 'u-zoe' }, reason: 'typo' }, key);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body).not.toContain('Zoe Quillon');
    });
  });

  describe('organisations and limits', () => {
    it("keeps each organisation's chat ids apart: the same ids in another organisation are other people and another message", async () => {
      const other = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'] });
      const otherToken = (await createServiceAccount(test, other.users.admin)).token;
      const message = externalMessage({ sentAt: clock.now(), sender: 'u-shared' });
      const payload = { message, actor: message.sender, content: { text: 'shared' } };
      const mine = await recordRecall(test, token, payload);
      const theirs = await recordRecall(test, otherToken, payload);
      expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
      expect(theirs.json().messageId).not.toBe(mine.json().messageId);
      const sender = async (tenantId: string) =>
        (
          await owner().$queryRaw<{ user_id: string }[]>`
          SELECT user_id FROM external_people WHERE tenant_id = ${tenantId}::uuid AND source = 'rocketchat' AND external_id = 'u-shared'`
        )[0].user_id;
      expect(await sender(other.id)).not.toBe(await sender(tenant.id));
      const theirAudit = await test.request({ method: 'GET', url: '/api/v1/audit?source=rocketchat', token: other.users.compliance.token });
      expect(theirAudit.json().items.map((item: { messageId: string }) => item.messageId)).not.toContain(mine.json().messageId);
    });

    it('limits requests per service account (429 with Retry-After and RateLimit headers)', async () => {
      const limited = await startTestApp({ SERVICE_ACCOUNT_REQUESTS_PER_MINUTE: '3' });
      try {
        const org = await createTenant(limited, { admin: ['ADMIN'] });
        const account = (await createServiceAccount(limited, org.users.admin, ['recall:decide'])).token;
        const payload = { message: externalMessage({ sentAt: new Date() }), actor: { source: 'rocketchat', externalId: 'u-alice' } };
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push(await decide(limited, account, payload));
        expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
        expect(answers[2].headers['ratelimit-remaining']).toBe('0');
        expect(answers[3].headers['ratelimit-policy']).toBe('3;w=60');
        expect(Number(answers[3].headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(answers[3].json().code).toBe('TOO_MANY_REQUESTS');
      } finally {
        await limited.close();
      }
    });
  });
});
