import { inTenant, type Db } from '@retract/db';
import { ContentVault, type ContentEnvelope } from '../src/modules/audit/content-vault';
import {
  controlClock,
  createMessagingTenant,
  image,
  recall,
  send,
  sendText,
  setPolicy,
  type ControlledClock,
  type MessagingTenant,
} from './messaging-fixtures';
import { ownerDb, startTestApp, type TestApp } from './test-app';

/**
 * Recall over HTTP against PostgreSQL: by role, the window to the millisecond (injected clock),
 * each denial code with its status, what the database keeps afterwards, batch, forced, re-edit,
 * and fifty concurrent recalls of one message.
 */
describe('recall', () => {
  let test: TestApp;
  let owner: Db;
  let acme: MessagingTenant;
  let other: MessagingTenant;
  let clock: ControlledClock;

  beforeAll(async () => {
    test = await startTestApp();
    owner = ownerDb();
    acme = await createMessagingTenant(test);
    other = await createMessagingTenant(test);
  });
  beforeEach(() => {
    clock = controlClock(test);
  });
  afterEach(() => clock.restore());
  afterAll(async () => {
    await owner.$disconnect();
    await test.close();
  });

  const asOwner = <T>(tenantId: string, work: Parameters<typeof inTenant<T>>[2]) => inTenant(owner, { tenantId }, work);
  const auditFor = (tenantId: string, messageId: string) =>
    asOwner(tenantId, (tx) => tx.auditEntry.findMany({ where: { tenantId, messageId }, orderBy: { seq: 'asc' } }));
  const leafOf = (entry: { leaf: Uint8Array }) => JSON.parse(Buffer.from(entry.leaf).toString('utf8'));
  /** A reason as compliance reads it: sealed in the leaf, never in the clear (docs/audit-log.md, "Personal data"). */
  const sealedReasonOf = async (tenant: { users: Record<string, { token: string }> }, entry: { seq: bigint; leaf: Uint8Array }) => {
    const opened = (await test.request({ method: 'GET', url: `/api/v1/audit/${entry.seq}`, token: tenant.users.compliance.token })).json();
    expect(opened.personalData).toBe('READABLE');
    return Buffer.from(entry.leaf).toString('utf8').includes(opened.reason) ? 'in the clear' : opened.reason;
  };

  describe('by role', () => {
    it('the sender (employee) recalls their own message: 200, content gone from the live store, kept encrypted in the audit log', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch, 'the launch date is secret');
      const response = await recall(test, acme.users.alice, id);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.message).toMatchObject({ id, state: 'RECALLED', body: null, notice: 'You recalled a message', recallKind: 'SENDER' });
      expect(body).toMatchObject({
        notice: 'You recalled a message',
        forced: false,
        policyVersion: 1,
        decidedBy: 'TENANT_DEFAULT',
        alreadyDeliveredTo: [],
        reach: { recipients: 2, applied: 0 },
      });
      expect(body.reEditDraft).toMatchObject({ type: 'TEXT', body: 'the launch date is secret' });
      const row = await asOwner(acme.id, (tx) => tx.message.findFirstOrThrow({ where: { tenantId: acme.id, id } }));
      expect(row).toMatchObject({ body: null, attachment: null, recalledBy: acme.users.alice.id });
      const [entry] = await auditFor(acme.id, id);
      expect(entry).toMatchObject({
        action: 'MESSAGE_RECALLED',
        actorId: acme.users.alice.id,
        subjectUserId: acme.users.alice.id,
        policyVersion: 1,
        decidedBy: 'TENANT_DEFAULT',
        forced: false,
      });
      expect(Number(entry.seq)).toBe(body.auditSeq);
      const leafText = Buffer.from(entry.leaf).toString('utf8');
      expect(leafText).not.toContain('secret');
      const leaf = leafOf(entry);
      expect(leaf.details).toMatchObject({ messageType: 'TEXT', recipients: [acme.users.bob.id, acme.users.carol.id].sort(), alreadyDeliveredTo: [] });
      expect(leaf.details.attempt).toMatchObject({
        actorId: acme.users.alice.id,
        outcome: { allowed: true },
        conversation: { id: acme.launch, kind: 'GROUP' },
      });
      const opened = await asOwner(acme.id, (tx) =>
        test.app.get(ContentVault).open(tx, acme.id, leaf.content as ContentEnvelope, { action: 'MESSAGE_RECALLED', messageId: id }),
      );
      expect(opened).toEqual({
        state: 'READABLE',
        content: { type: 'TEXT', body: 'the launch date is secret', attachment: null, location: null, payment: null },
      });
    });

    it('another member gets 403 NOT_SENDER, recorded as RECALL_DENIED without content', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch);
      const response = await recall(test, acme.users.bob, id);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'NOT_SENDER', decidedBy: 'BUILT_IN:SENDER_ONLY' });
      const entries = await auditFor(acme.id, id);
      expect(entries.map((e) => [e.action, e.denialCode])).toEqual([['RECALL_DENIED', 'NOT_SENDER']]);
      expect(leafOf(entries[0]).content).toBeNull();
    });

    it('a non-member employee and another tenant get 404; malformed ids 400', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch);
      expect((await recall(test, acme.users.dave, id)).statusCode).toBe(404);
      expect((await recall(test, other.users.alice, id)).statusCode).toBe(404);
      expect((await recall(test, other.users.compliance, id, { force: true, reason: 'x' })).statusCode).toBe(404);
      expect((await recall(test, acme.users.alice, 'not-a-uuid')).statusCode).toBe(400);
      expect(await auditFor(acme.id, id)).toEqual([]);
    });

    it('compliance and admin force-recall any message with a reason; the entry is marked forced and recipients see the organisation notice', async () => {
      for (const who of ['compliance', 'admin'] as const) {
        const id = await sendText(test, acme.users.alice, acme.launch, `leaked password ${who}`);
        clock.advance(3 * 24 * 3600_000);
        const noReason = await recall(test, acme.users[who], id, { force: true });
        expect(noReason.statusCode).toBe(422);
        expect(noReason.json()).toMatchObject({ code: 'REASON_REQUIRED', decidedBy: 'BUILT_IN:FORCED_RECALL' });
        const response = await recall(test, acme.users[who], id, { force: true, reason: 'credential leak' });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({
          forced: true,
          decidedBy: 'BUILT_IN:FORCED_RECALL',
          reEditDraft: null,
          notice: 'A message was removed by your organisation',
        });
        const entries = await auditFor(acme.id, id);
        expect(entries.map((e) => [e.action, e.denialCode, e.forced])).toEqual([
          ['RECALL_DENIED', 'REASON_REQUIRED', true],
          ['MESSAGE_RECALLED', null, true],
        ]);
        expect(await sealedReasonOf(acme, entries[1])).toBe('credential leak');
        const seenByBob = await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.bob.token });
        expect(seenByBob.json()).toMatchObject({ state: 'RECALLED', recallKind: 'FORCED', notice: 'A message was removed by your organisation', body: null });
      }
    });

    it('an employee asking to force gets 403; a compliance officer without force gets NOT_SENDER', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch);
      const forcedByBob = await recall(test, acme.users.bob, id, { force: true, reason: 'because' });
      expect(forcedByBob.statusCode).toBe(403);
      expect(forcedByBob.json().code).toBe('FORBIDDEN');
      const unforced = await recall(test, acme.users.compliance, id, { reason: 'x' });
      expect(unforced.statusCode).toBe(403);
      expect(unforced.json().code).toBe('NOT_SENDER');
    });

    it('payment messages cannot be recalled, even forced', async () => {
      const id = await send(test, acme.users.alice, acme.direct, { type: 'TRANSFER', payment: { amountMinor: 5000, currency: 'CNY' } });
      const own = await recall(test, acme.users.alice, id);
      expect(own.statusCode).toBe(422);
      expect(own.json()).toMatchObject({ code: 'TYPE_NOT_RECALLABLE', decidedBy: 'BUILT_IN:PAYMENT_TYPES' });
      const forced = await recall(test, acme.users.compliance, id, { force: true, reason: 'fraud' });
      expect(forced.statusCode).toBe(422);
      expect(forced.json().code).toBe('TYPE_NOT_RECALLABLE');
    });
  });

  describe('the window, with an injected clock', () => {
    it('is exact to the millisecond: allowed at window + grace, refused 1 ms later, and stays refused', async () => {
      const start = Date.parse('2030-03-01T10:00:00.000Z');
      clock.set(start);
      const onTime = await sendText(test, acme.users.alice, acme.launch);
      const late = await sendText(test, acme.users.alice, acme.launch);
      clock.set(start + 125_000); // 120 s window + 5 s grace
      expect((await recall(test, acme.users.alice, onTime)).statusCode).toBe(200);
      clock.set(start + 125_001);
      const refused = await recall(test, acme.users.alice, late);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'WINDOW_EXPIRED', decidedBy: 'TENANT_DEFAULT', policyVersion: 1 });
      expect(refused.json().auditSeq).toEqual(expect.any(Number));
      clock.advance(86_400_000);
      expect((await recall(test, acme.users.alice, late)).json().code).toBe('WINDOW_EXPIRED');
      const entries = await auditFor(acme.id, late);
      expect(entries.map((e) => e.denialCode)).toEqual(['WINDOW_EXPIRED', 'WINDOW_EXPIRED']);
      expect(leafOf(entries[0]).details.attempt).toMatchObject({ sentAt: new Date(start).toISOString(), attemptedAt: new Date(start + 125_001).toISOString() });
    });

    it('answers the same whatever the client says about time or time zone (only server time counts)', async () => {
      clock.set(Date.parse('2030-03-02T23:59:00.000Z'));
      const id = await sendText(test, acme.users.alice, acme.launch);
      clock.advance(60_000);
      const response = await test.request({
        method: 'POST',
        url: `/api/v1/messages/${id}/recall`,
        token: acme.users.alice.token,
        payload: {},
        headers: { date: 'Mon, 01 Jan 1990 00:00:00 GMT', 'x-timezone': 'Pacific/Kiritimati' },
      });
      expect(response.statusCode).toBe(200);
    });
  });

  describe('policy-driven denials', () => {
    let tenant: MessagingTenant;
    beforeAll(async () => {
      tenant = await createMessagingTenant(test);
    });

    it('RECALL_OFF in a conversation whose override sets windowSeconds = 0; REASON_REQUIRED when the policy asks for one', async () => {
      await setPolicy(test, tenant.users.admin, (current) => ({
        settings: { ...current.settings, requireReason: 'AFTER_SECONDS', reasonAfterSeconds: 30 },
        overrides: [{ target: { kind: 'CONVERSATION', conversationId: tenant.direct, label: 'Legal' }, settings: { windowSeconds: 0 } }],
      }));
      const inLegal = await sendText(test, tenant.users.alice, tenant.direct);
      const off = await recall(test, tenant.users.alice, inLegal);
      expect(off.statusCode).toBe(422);
      expect(off.json()).toMatchObject({ code: 'RECALL_OFF', decidedBy: `CONVERSATION:${tenant.direct}`, policyVersion: 2 });

      const inLaunch = await sendText(test, tenant.users.alice, tenant.launch);
      clock.advance(31_000);
      const noReason = await recall(test, tenant.users.alice, inLaunch);
      expect(noReason.statusCode).toBe(422);
      expect(noReason.json().code).toBe('REASON_REQUIRED');
      const blank = await recall(test, tenant.users.alice, inLaunch, { reason: '   ' });
      expect(blank.json().code).toBe('REASON_REQUIRED');
      const withReason = await recall(test, tenant.users.alice, inLaunch, { reason: 'typo in the date' });
      expect(withReason.statusCode).toBe(200);
      const [, , recalled] = await auditFor(tenant.id, inLaunch);
      expect(recalled).toMatchObject({ action: 'MESSAGE_RECALLED', policyVersion: 2 });
      expect(await sealedReasonOf(tenant, recalled)).toBe('typo in the date');
    });

    it('TYPE_NOT_RECALLABLE when the policy leaves a type out', async () => {
      await setPolicy(test, tenant.users.admin, (current) => ({ settings: { ...current.settings, recallableTypes: ['TEXT'] } }));
      const id = await send(test, tenant.users.alice, tenant.launch, image());
      const response = await recall(test, tenant.users.alice, id, { reason: 'x' });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'TYPE_NOT_RECALLABLE', decidedBy: 'TENANT_DEFAULT' });
    });

    it('RATE_LIMITED with 429 and Retry-After once maxRecallsPerHour is reached', async () => {
      const limited = await createMessagingTenant(test);
      await setPolicy(test, limited.users.admin, (current) => ({ settings: { ...current.settings, maxRecallsPerHour: 2 } }));
      const start = clock.now().getTime();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await sendText(test, limited.users.alice, limited.launch, `m${i}`));
      expect((await recall(test, limited.users.alice, ids[0])).statusCode).toBe(200);
      clock.advance(10_000);
      expect((await recall(test, limited.users.alice, ids[1])).statusCode).toBe(200);
      clock.advance(10_000);
      const third = await recall(test, limited.users.alice, ids[2]);
      expect(third.statusCode).toBe(429);
      expect(third.json().code).toBe('RATE_LIMITED');
      // The oldest recall of the hour (at start) leaves the window at start + 1 h.
      expect(third.headers['retry-after']).toBe(String(Math.ceil((start + 3_600_000 - (start + 20_000)) / 1000)));
      const entries = await auditFor(limited.id, ids[2]);
      expect(entries.map((e) => e.denialCode)).toEqual(['RATE_LIMITED']);
    });
  });

  it('ALREADY_RECALLED answers 409 and is not recorded again', async () => {
    const id = await sendText(test, acme.users.alice, acme.launch);
    expect((await recall(test, acme.users.alice, id)).statusCode).toBe(200);
    const again = await recall(test, acme.users.alice, id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ALREADY_RECALLED', auditSeq: null });
    expect((await auditFor(acme.id, id)).map((e) => e.action)).toEqual(['MESSAGE_RECALLED']);
  });

  it('fifty concurrent recalls of one message: exactly one succeeds, one audit entry', async () => {
    const id = await sendText(test, acme.users.alice, acme.launch);
    const responses = await Promise.all(Array.from({ length: 50 }, () => recall(test, acme.users.alice, id)));
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect((await auditFor(acme.id, id)).map((e) => e.action)).toEqual(['MESSAGE_RECALLED']);
    const events = await asOwner(acme.id, (tx) => tx.event.findMany({ where: { tenantId: acme.id, messageId: id, type: 'message.recalled' } }));
    expect(events).toHaveLength(1);
  });

  it('a data key shredded while this API still holds it: the recall seals again under a live key, one entry and one event', async () => {
    const tenant = await createMessagingTenant(test);
    const { carol } = tenant.users;
    const first = await sendText(test, carol, tenant.launch, 'first');
    expect((await recall(test, carol, first)).statusCode).toBe(200);
    // Shredded while the notice to forget it is still on its way (no trigger runs, so none is sent): the API's cache still holds the key.
    const [, destroyed] = await owner.$transaction([
      owner.$executeRaw`SET LOCAL session_replication_role = replica`,
      owner.$executeRaw`
        UPDATE audit_data_keys SET wrapped_key = NULL, destroyed_at = now(), destroyed_reason = 'ERASURE'
         WHERE tenant_id = ${tenant.id}::uuid AND subject_user_id = ${carol.id}::uuid AND wrapped_key IS NOT NULL`,
    ]);
    expect(destroyed).toBeGreaterThan(0);

    const second = await sendText(test, carol, tenant.launch, 'second');
    const response = await recall(test, carol, second);
    expect(response.statusCode).toBe(200);
    const entries = await auditFor(tenant.id, second);
    expect(entries.map((e) => e.action)).toEqual(['MESSAGE_RECALLED']);
    expect(response.json().auditSeq).toBe(Number(entries[0].seq));
    const key = await asOwner(tenant.id, (tx) => tx.auditDataKey.findFirstOrThrow({ where: { tenantId: tenant.id, id: entries[0].dataKeyId! } }));
    expect(key).toMatchObject({ subjectUserId: carol.id, destroyedAt: null });
    const events = await asOwner(tenant.id, (tx) => tx.event.findMany({ where: { tenantId: tenant.id, messageId: second, type: 'message.recalled' } }));
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ messageId: second, recallKind: 'SENDER' })]);
  });

  it('says which recipients already downloaded an attachment (alreadyDeliveredTo)', async () => {
    const id = await send(test, acme.users.alice, acme.launch, image());
    const receipt = await test.request({
      method: 'POST',
      url: `/api/v1/messages/${id}/receipts`,
      token: acme.users.bob.token,
      payload: { kind: 'DOWNLOADED' },
    });
    expect(receipt.statusCode).toBe(200);
    const response = await recall(test, acme.users.alice, id);
    expect(response.statusCode).toBe(200);
    expect(response.json().alreadyDeliveredTo).toEqual([{ userId: acme.users.bob.id, displayName: 'bob', at: expect.any(String) }]);
    const [entry] = await auditFor(acme.id, id);
    expect(leafOf(entry).details.alreadyDeliveredTo).toEqual([{ userId: acme.users.bob.id, at: expect.any(String) }]);
    expect(response.json().reEditDraft.attachment).toMatchObject({ name: 'plan.png', mimeType: 'image/png' });
  });

  describe('batch', () => {
    it('judges each message on its own and answers a result per message', async () => {
      const start = clock.now().getTime();
      const old = await sendText(test, acme.users.alice, acme.launch, 'old');
      clock.set(start + 200_000);
      const fresh1 = await sendText(test, acme.users.alice, acme.launch, 'fresh 1');
      const fresh2 = await sendText(test, acme.users.alice, acme.launch, 'fresh 2');
      clock.advance(1000);
      const response = await test.request({
        method: 'POST',
        url: '/api/v1/messages/recall',
        token: acme.users.alice.token,
        payload: { messageIds: [fresh1, old, fresh2, fresh1] },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ recalled: 2, denied: 2, forced: false, policyVersion: 1 });
      expect(
        body.results.map((r: { messageId: string; outcome: string; code: string | null; status: number }) => [r.messageId, r.outcome, r.code, r.status]),
      ).toEqual([
        [fresh1, 'RECALLED', null, 200],
        [old, 'DENIED', 'WINDOW_EXPIRED', 422],
        [fresh2, 'RECALLED', null, 200],
        [fresh1, 'DENIED', 'ALREADY_RECALLED', 409],
      ]);
      expect(body.results[0].reEditDraft.body).toBe('fresh 1');
      const [denied] = await auditFor(acme.id, old);
      expect(leafOf(denied).details.attempt).toMatchObject({ batchSize: 4, outcome: { allowed: false, code: 'WINDOW_EXPIRED' } });
    });

    it('refuses the whole request when too large or disabled (422), and mixed senders or conversations (422 VALIDATION_FAILED)', async () => {
      const tenant = await createMessagingTenant(test);
      await setPolicy(test, tenant.users.admin, (current) => ({ settings: { ...current.settings, batchRecall: { enabled: true, maxBatch: 2 } } }));
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await sendText(test, tenant.users.alice, tenant.launch, `b${i}`));
      const tooLarge = await test.request({ method: 'POST', url: '/api/v1/messages/recall', token: tenant.users.alice.token, payload: { messageIds: ids } });
      expect(tooLarge.statusCode).toBe(422);
      expect(tooLarge.json()).toMatchObject({ code: 'BATCH_TOO_LARGE', maxBatch: 2 });
      expect((await auditFor(tenant.id, ids[0])).map((e) => e.denialCode)).toEqual(['BATCH_TOO_LARGE']);

      const bobs = await sendText(test, tenant.users.bob, tenant.launch);
      const mixed = await test.request({
        method: 'POST',
        url: '/api/v1/messages/recall',
        token: tenant.users.alice.token,
        payload: { messageIds: [ids[0], bobs] },
      });
      expect(mixed.statusCode).toBe(422);
      expect(mixed.json().code).toBe('VALIDATION_FAILED');
      const elsewhere = await sendText(test, tenant.users.alice, tenant.direct);
      const twoConversations = await test.request({
        method: 'POST',
        url: '/api/v1/messages/recall',
        token: tenant.users.alice.token,
        payload: { messageIds: [ids[0], elsewhere] },
      });
      expect(twoConversations.statusCode).toBe(422);

      await setPolicy(test, tenant.users.admin, (current) => ({ settings: { ...current.settings, batchRecall: { enabled: false, maxBatch: 2 } } }));
      const disabled = await test.request({
        method: 'POST',
        url: '/api/v1/messages/recall',
        token: tenant.users.alice.token,
        payload: { messageIds: [ids[0]] },
      });
      expect(disabled.statusCode).toBe(422);
      expect(disabled.json().code).toBe('BATCH_DISABLED');

      const overLimit = await test.request({
        method: 'POST',
        url: '/api/v1/messages/recall',
        token: tenant.users.alice.token,
        payload: { messageIds: Array.from({ length: 101 }, () => ids[0]) },
      });
      expect(overLimit.statusCode).toBe(400);
      expect(overLimit.json().errors[0].field).toBe('messageIds');
    });

    it('404 for the whole request when one message is not visible', async () => {
      const mine = await sendText(test, acme.users.alice, acme.launch);
      const foreign = await sendText(test, other.users.alice, other.launch);
      const response = await test.request({
        method: 'POST',
        url: '/api/v1/messages/recall',
        token: acme.users.alice.token,
        payload: { messageIds: [mine, foreign] },
      });
      expect(response.statusCode).toBe(404);
      expect(await auditFor(acme.id, mine)).toEqual([]);
    });
  });

  describe('re-edit after recall', () => {
    it('sends the edited draft as a new message linked to the recalled one, audited as MESSAGE_REEDITED, once', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch, 'Launch is on Tuesday');
      const recalled = (await recall(test, acme.users.alice, id)).json();
      expect(recalled.reEditDraft.validUntil).toBe(new Date(clock.now().getTime() + 300_000).toISOString());
      clock.advance(299_000);
      const byBob = await test.request({ method: 'POST', url: `/api/v1/messages/${id}/re-edit`, token: acme.users.bob.token, payload: { body: 'x' } });
      expect(byBob.statusCode).toBe(403);
      const wrongShape = await test.request({
        method: 'POST',
        url: `/api/v1/messages/${id}/re-edit`,
        token: acme.users.alice.token,
        payload: { location: { latitude: 1, longitude: 2 } },
      });
      expect(wrongShape.statusCode).toBe(400);
      const response = await test.request({
        method: 'POST',
        url: `/api/v1/messages/${id}/re-edit`,
        token: acme.users.alice.token,
        payload: { body: 'Launch is on Wednesday' },
      });
      expect(response.statusCode).toBe(201);
      const created = response.json();
      expect(created).toMatchObject({ type: 'TEXT', body: 'Launch is on Wednesday', replacesMessageId: id, state: 'ACTIVE' });
      const entries = await asOwner(acme.id, (tx) => tx.auditEntry.findMany({ where: { tenantId: acme.id, messageId: created.id } }));
      expect(entries.map((e) => e.action)).toEqual(['MESSAGE_REEDITED']);
      expect(leafOf(entries[0]).details).toMatchObject({ replacesMessageId: id, recallAuditSeq: recalled.auditSeq });
      const twice = await test.request({ method: 'POST', url: `/api/v1/messages/${id}/re-edit`, token: acme.users.alice.token, payload: { body: 'again' } });
      expect(twice.statusCode).toBe(422);
      expect(twice.json()).toMatchObject({ code: 'REEDIT_EXPIRED', reason: 'ALREADY_USED' });
    });

    it('too late answers 422 REEDIT_EXPIRED; a live message 409', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch);
      const live = await test.request({ method: 'POST', url: `/api/v1/messages/${id}/re-edit`, token: acme.users.alice.token, payload: { body: 'x' } });
      expect(live.statusCode).toBe(409);
      await recall(test, acme.users.alice, id);
      clock.advance(300_001);
      const late = await test.request({ method: 'POST', url: `/api/v1/messages/${id}/re-edit`, token: acme.users.alice.token, payload: { body: 'x' } });
      expect(late.statusCode).toBe(422);
      expect(late.json()).toMatchObject({ code: 'REEDIT_EXPIRED', reason: 'EXPIRED' });
    });
  });
});
