import { createMessagingTenant, image, recall, send, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** Conversations, every message type, cursor pages, localized notices, receipts and delete-for-me; by role. */
describe('conversations and messages', () => {
  let test: TestApp;
  let acme: MessagingTenant;
  let other: MessagingTenant;

  beforeAll(async () => {
    test = await startTestApp();
    acme = await createMessagingTenant(test);
    other = await createMessagingTenant(test);
  });
  afterAll(() => test.close());

  const list = (token: string, conversationId: string, query = '') =>
    test.request({ method: 'GET', url: `/api/v1/conversations/${conversationId}/messages${query}`, token });
  const receipt = (token: string, id: string, kind: string) =>
    test.request({ method: 'POST', url: `/api/v1/messages/${id}/receipts`, token, payload: { kind } });

  describe.each([
    ['alice', 200, 201],
    ['admin', 403, 403],
    ['compliance', 403, 403],
  ])('as %s', (who, readStatus, writeStatus) => {
    it(`lists conversations ${readStatus}, creates ${writeStatus}, reads messages ${readStatus}, sends ${writeStatus}`, async () => {
      const token = acme.users[who].token;
      expect((await test.request({ method: 'GET', url: '/api/v1/conversations', token })).statusCode).toBe(readStatus);
      const created = await test.request({
        method: 'POST',
        url: '/api/v1/conversations',
        token,
        payload: { kind: 'GROUP', title: `by ${who}`, memberIds: [acme.users.carol.id] },
      });
      expect(created.statusCode).toBe(writeStatus);
      expect((await list(token, acme.launch)).statusCode).toBe(readStatus);
      expect(
        (await test.request({ method: 'POST', url: `/api/v1/conversations/${acme.launch}/messages`, token, payload: { type: 'TEXT', body: 'hi' } })).statusCode,
      ).toBe(writeStatus);
    });
  });

  it('shows a conversation only to its members: 404 for a non-member and for another organisation', async () => {
    expect((await list(acme.users.dave.token, acme.launch)).statusCode).toBe(404);
    expect((await list(other.users.alice.token, acme.launch)).statusCode).toBe(404);
    expect(
      (
        await test.request({
          method: 'POST',
          url: `/api/v1/conversations/${acme.launch}/messages`,
          token: acme.users.dave.token,
          payload: { type: 'TEXT', body: 'x' },
        })
      ).statusCode,
    ).toBe(404);
    const id = await sendText(test, acme.users.alice, acme.launch);
    expect((await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.dave.token })).statusCode).toBe(404);
    expect((await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: other.users.alice.token })).statusCode).toBe(404);
    const mine = (await test.request({ method: 'GET', url: '/api/v1/conversations', token: acme.users.dave.token })).json();
    expect(mine.items.map((c: { id: string }) => c.id)).not.toContain(acme.launch);
  });

  it('creates DIRECT (once per pair) and GROUP conversations of active employees of the organisation', async () => {
    const { alice, bob, carol, admin } = acme.users;
    const again = await test.request({ method: 'POST', url: '/api/v1/conversations', token: bob.token, payload: { kind: 'DIRECT', memberIds: [alice.id] } });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(acme.direct);
    const group = await test.request({
      method: 'POST',
      url: '/api/v1/conversations',
      token: alice.token,
      payload: { kind: 'GROUP', title: 'Design review', memberIds: [bob.id, carol.id] },
    });
    expect(group.json()).toMatchObject({ kind: 'GROUP', title: 'Design review', createdBy: alice.id, recallWindowSeconds: 120, policyRule: 'TENANT_DEFAULT' });
    expect(
      group
        .json()
        .members.map((m: { id: string }) => m.id)
        .sort(),
    ).toEqual([alice.id, bob.id, carol.id].sort());

    const problems = async (payload: unknown) => {
      const response = await test.request({ method: 'POST', url: '/api/v1/conversations', token: alice.token, payload });
      expect(response.statusCode).toBe(400);
      return response.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await problems({ kind: 'GROUP', memberIds: [bob.id] })).toEqual(['title']);
    expect(await problems({ kind: 'DIRECT', memberIds: [bob.id, carol.id] })).toEqual(['memberIds']);
    expect(await problems({ kind: 'GROUP', title: 'x', memberIds: [other.users.bob.id] })).toEqual(['memberIds.0']);
    expect(await problems({ kind: 'GROUP', title: 'x', memberIds: [bob.id, admin.id] })).toEqual(['memberIds.1']);
    expect(await problems({ kind: 'DIRECT', memberIds: [alice.id] })).toEqual(['memberIds.0']);
    expect(await problems({ kind: 'GROUP', title: 'x', memberIds: [bob.id, bob.id] })).toEqual(['memberIds.1']);
  });

  it('sends every message type; attachments are metadata and must fit their type', async () => {
    const { alice } = acme.users;
    const file = (name: string, mimeType: string) => ({ name, size: 2048, mimeType, sha256: 'b'.repeat(64), url: `https://files.example.test/${name}` });
    const payloads = [
      { type: 'TEXT', body: 'plain text' },
      image(),
      { type: 'VIDEO', attachment: { ...file('demo.mp4', 'video/mp4'), durationSeconds: 12 } },
      { type: 'FILE', body: 'the contract', attachment: file('contract.pdf', 'application/pdf') },
      { type: 'VOICE', attachment: { ...file('note.ogg', 'audio/ogg'), durationSeconds: 4 } },
      { type: 'LOCATION', location: { latitude: 31.2304, longitude: 121.4737, label: 'Shanghai office' } },
      { type: 'RED_PACKET', body: '恭喜发财', payment: { amountMinor: 888, currency: 'CNY' } },
      { type: 'TRANSFER', payment: { amountMinor: 50_000, currency: 'EUR' } },
    ];
    for (const payload of payloads) {
      const response = await test.request({ method: 'POST', url: `/api/v1/conversations/${acme.direct}/messages`, token: alice.token, payload });
      expect(response.statusCode).toBe(201);
      const { id, ...view } = response.json();
      expect(view).toMatchObject({ ...payload, state: 'ACTIVE', senderId: alice.id, senderName: 'alice', notice: null });
      expect((await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.bob.token })).json()).toMatchObject(payload);
    }
    const invalid = async (payload: unknown) => {
      const response = await test.request({ method: 'POST', url: `/api/v1/conversations/${acme.direct}/messages`, token: alice.token, payload });
      expect(response.statusCode).toBe(400);
      return response.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await invalid({ type: 'TEXT' })).toEqual(['body']);
    expect(await invalid({ type: 'TEXT', body: '   ' })).toEqual(['body']);
    expect(await invalid({ type: 'IMAGE', attachment: file('x.txt', 'text/plain') })).toEqual(['attachment.mimeType']);
    expect(await invalid({ type: 'FILE', attachment: { ...file('x', 'a/b'), sha256: 'nope' } })).toEqual(['attachment.sha256']);
    expect(await invalid({ type: 'TEXT', body: 'x', payment: { amountMinor: 1, currency: 'CNY' } })).toEqual(['payment']);
    expect(await invalid({ type: 'STICKER', body: 'x' })).toEqual(['type']);
  });

  it('pages newest first with a cursor, each message once', async () => {
    const group = (
      await test.request({
        method: 'POST',
        url: '/api/v1/conversations',
        token: acme.users.alice.token,
        payload: { kind: 'GROUP', title: 'Paging', memberIds: [acme.users.bob.id] },
      })
    ).json();
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(await sendText(test, acme.users.alice, group.id, `m${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await list(acme.users.bob.token, group.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((m: { id: string }) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...sent].reverse());
    expect((await list(acme.users.bob.token, group.id, '?cursor=garbage')).statusCode).toBe(400);
  });

  it("shows recalled messages as notices in each reader's language, never with content", async () => {
    const { alice, bob, carol, admin } = acme.users;
    await test.request({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, token: admin.token, payload: { locale: 'ja' } });
    const id = await send(test, alice, acme.launch, image('secret-plan.png'));
    await recall(test, alice, id);
    const itemFor = async (token: string) => (await list(token, acme.launch)).json().items.find((m: { id: string }) => m.id === id);
    const forBob = await itemFor(bob.token);
    expect(forBob).toMatchObject({
      state: 'RECALLED',
      body: null,
      attachment: null,
      location: null,
      payment: null,
      notice: 'alice recalled a message',
      reEditUntil: null,
      recallReach: null,
    });
    expect(JSON.stringify(forBob)).not.toContain('secret-plan');
    expect((await itemFor(carol.token)).notice).toBe('aliceがメッセージの送信を取り消しました');
    const forAlice = await itemFor(alice.token);
    expect(forAlice).toMatchObject({ notice: 'You recalled a message', recallReach: { recipients: 2, applied: 0 } });
    expect(forAlice.reEditUntil).toEqual(expect.any(String));
  });

  it('shows zh-CN notices to zh-CN readers', async () => {
    const globex = await createMessagingTenant(test, { admin: ['ADMIN'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'], carol: ['EMPLOYEE'] });
    const { admin, alice, bob } = globex.users;
    await test.request({ method: 'PATCH', url: `/api/v1/users/${alice.id}`, token: admin.token, payload: { displayName: '王伟', locale: 'zh-CN' } });
    await test.request({ method: 'PATCH', url: `/api/v1/users/${bob.id}`, token: admin.token, payload: { displayName: '李娜', locale: 'zh-CN' } });
    const id = await sendText(test, alice, globex.direct, '下午三点开会');
    const recalled = (await recall(test, alice, id)).json();
    expect(recalled.notice).toBe('你撤回了一条消息');
    const forLi = (await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: bob.token })).json();
    expect(forLi.notice).toBe('王伟 撤回了一条消息');
  });

  it('takes receipts from recipients only; RECALL_APPLIED counts toward the recall reach', async () => {
    const { alice, bob, carol, dave } = acme.users;
    const text = await sendText(test, alice, acme.launch, 'receipts');
    const delivered = await receipt(bob.token, text, 'DELIVERED');
    expect(delivered.statusCode).toBe(200);
    expect(delivered.json()).toMatchObject({ messageId: text, userId: bob.id, kind: 'DELIVERED' });
    expect((await receipt(bob.token, text, 'DELIVERED')).json().at).toBe(delivered.json().at);
    expect((await receipt(alice.token, text, 'DELIVERED')).statusCode).toBe(403);
    expect((await receipt(dave.token, text, 'DELIVERED')).statusCode).toBe(404);
    expect((await receipt(bob.token, text, 'DOWNLOADED')).statusCode).toBe(400);
    expect((await receipt(bob.token, text, 'RECALL_APPLIED')).statusCode).toBe(409);
    expect((await receipt(bob.token, text, 'READ')).statusCode).toBe(400);

    const picture = await send(test, alice, acme.launch, image());
    await recall(test, alice, picture);
    expect((await receipt(carol.token, picture, 'DOWNLOADED')).statusCode).toBe(409);
    expect((await receipt(bob.token, picture, 'RECALL_APPLIED')).statusCode).toBe(200);
    const forAlice = (await test.request({ method: 'GET', url: `/api/v1/messages/${picture}`, token: alice.token })).json();
    expect(forAlice.recallReach).toEqual({ recipients: 2, applied: 1 });
  });

  it('delete for me hides a message from the caller only, changes nothing for anyone else, and is not a recall', async () => {
    const { alice, bob, dave } = acme.users;
    const id = await sendText(test, alice, acme.launch, 'keep for others');
    const hide = () => test.request({ method: 'DELETE', url: `/api/v1/messages/${id}`, token: bob.token });
    expect((await hide()).statusCode).toBe(204);
    expect((await hide()).statusCode).toBe(204);
    expect((await list(bob.token, acme.launch)).json().items.map((m: { id: string }) => m.id)).not.toContain(id);
    expect((await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: bob.token })).statusCode).toBe(404);
    const forAlice = (await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: alice.token })).json();
    expect(forAlice).toMatchObject({ state: 'ACTIVE', body: 'keep for others' });
    expect((await test.request({ method: 'DELETE', url: `/api/v1/messages/${id}`, token: dave.token })).statusCode).toBe(404);
    expect((await test.request({ method: 'DELETE', url: `/api/v1/messages/${id}`, token: other.users.bob.token })).statusCode).toBe(404);
    // The sender can still recall it: hiding is not a recall.
    expect((await recall(test, alice, id)).statusCode).toBe(200);
  });
});
