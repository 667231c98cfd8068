import type { AddressInfo } from 'node:net';
import { createMessagingTenant, recall, sendText, setPolicy, type MessagingTenant } from './messaging-fixtures';
import { openStream, type SseEvent, type SseStream } from './sse-client';
import { PASSWORD, startTestApp, type TestApp } from './test-app';

/**
 * Live and offline delivery (DESIGN §2): Server-Sent Events over a real socket, per-member
 * filtering, localized notices per recipient, resuming with Last-Event-ID, the JSON sync page.
 */
describe('events', () => {
  let test: TestApp;
  let baseUrl: string;
  let acme: MessagingTenant;
  const streams: SseStream[] = [];

  const open = async (token: string, options?: Parameters<typeof openStream>[2]) => {
    const stream = await openStream(baseUrl, token, options);
    streams.push(stream);
    return stream;
  };
  const about = (messageId: string, type: string) => (event: SseEvent) => event.event === type && event.json.data.messageId === messageId;

  beforeAll(async () => {
    test = await startTestApp();
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    const address = test.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${address.port}`;
    acme = await createMessagingTenant(test);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await test.close();
  });

  it("streams sends and recalls to members at once, with the notice in each reader's language and no content", async () => {
    const { alice, bob, admin, dave } = acme.users;
    const zh = await test.request({ method: 'PATCH', url: `/api/v1/users/${bob.id}`, token: admin.token, payload: { locale: 'zh-CN' } });
    expect(zh.statusCode).toBe(200);
    const bobs = await open(bob.token);
    const alices = await open(alice.token);
    const daves = await open(dave.token);
    expect(bobs.status).toBe(200);
    expect(bobs.headers['content-type']).toContain('text/event-stream');

    const id = await sendText(test, alice, acme.launch, 'a body that must not travel in events');
    const created = await bobs.next(about(id, 'message.created'));
    expect(created.json.data).toMatchObject({ messageId: id, conversationId: acme.launch, senderId: alice.id, type: 'TEXT' });
    expect(created.id).toBe(created.json.id);

    expect((await recall(test, alice, id)).statusCode).toBe(200);
    const toBob = await bobs.next(about(id, 'message.recalled'));
    expect(toBob.json.data).toMatchObject({ messageId: id, recallKind: 'SENDER', notice: 'alice 撤回了一条消息' });
    const toAlice = await alices.next(about(id, 'message.recalled'));
    expect(toAlice.json.data.notice).toBe('You recalled a message');

    // Everyone sees policy.changed: once dave has it, he would have had the message events too.
    await setPolicy(test, admin, (current) => ({ settings: { ...current.settings, graceSeconds: 6 } }));
    await daves.next((e) => e.event === 'policy.changed');
    expect(daves.events.filter((e) => e.event?.startsWith('message.'))).toEqual([]);
    for (const stream of [bobs, alices]) expect(stream.events.map((e) => e.data).join('\n')).not.toContain('must not travel');
  });

  it("tells the sender's stream when a recipient's device applied a recall, once per recipient, so the reach updates live", async () => {
    const { alice, bob } = acme.users;
    const alices = await open(alice.token);
    const id = await sendText(test, alice, acme.direct, 'reach');
    expect((await recall(test, alice, id)).statusCode).toBe(200);
    const reach = async () => (await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: alice.token })).json().recallReach;
    expect(await reach()).toEqual({ recipients: 1, applied: 0 });

    const applied = () => test.request({ method: 'POST', url: `/api/v1/messages/${id}/receipts`, token: bob.token, payload: { kind: 'RECALL_APPLIED' } });
    expect((await applied()).statusCode).toBe(200);
    const event = await alices.next(about(id, 'message.recall_applied'));
    expect(event.json.data).toEqual({ messageId: id, conversationId: acme.direct, senderId: alice.id, senderName: 'alice' });
    expect(await reach()).toEqual({ recipients: 1, applied: 1 });

    // A repeated report changes nothing and announces nothing: the next event alice sees is the next message.
    expect((await applied()).statusCode).toBe(200);
    const after = await sendText(test, alice, acme.direct, 'after the receipt');
    await alices.next(about(after, 'message.created'));
    expect(alices.events.filter(about(id, 'message.recall_applied'))).toHaveLength(1);
  });

  it('ends a stream before its next event once the user logs out or is deactivated', async () => {
    const own = await createMessagingTenant(test);
    const { alice, bob, carol, admin } = own.users;
    const login = async (email: string) =>
      (await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: own.slug, email, password: PASSWORD } })).json()
        .accessToken as string;
    const bobToken = await login(bob.email);
    const carolToken = await login(carol.email);
    const bobs = await open(bobToken);
    const carols = await open(carolToken);
    expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', token: bobToken })).statusCode).toBe(204);
    expect((await test.request({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, token: admin.token, payload: { active: false } })).statusCode).toBe(200);
    const id = await sendText(test, alice, own.launch, 'after logout');
    await Promise.all([bobs.closed, carols.closed]);
    for (const stream of [bobs, carols]) expect(stream.events.filter((event) => event.json.data.messageId === id)).toEqual([]);
  });

  it('a device that was offline catches up from its Last-Event-ID, in order, then continues live', async () => {
    const { alice, bob } = acme.users;
    const first = await open(bob.token);
    const marker = await sendText(test, alice, acme.direct, 'marker');
    const seen = await first.next(about(marker, 'message.created'));
    first.close();
    await first.closed;

    const missed1 = await sendText(test, alice, acme.direct, 'while offline 1');
    const missed2 = await sendText(test, alice, acme.direct, 'while offline 2');
    await recall(test, alice, missed1);

    const resumed = await open(bob.token, { lastEventId: seen.id });
    await resumed.next(about(missed1, 'message.recalled'));
    const live = await sendText(test, alice, acme.direct, 'after reconnect');
    await resumed.next(about(live, 'message.created'));
    const sequence = resumed.events.map((e) => [e.event, e.json.data.messageId]);
    expect(sequence).toEqual([
      ['message.created', missed1],
      ['message.created', missed2],
      ['message.recalled', missed1],
      ['message.created', live],
    ]);
    const ids = resumed.events.map((e) => BigInt(e.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);

    const viaQuery = await open(bob.token, { query: `?lastEventId=${seen.id}` });
    await viaQuery.next(about(live, 'message.created'));
    expect(viaQuery.events.map((e) => e.id)).toEqual(resumed.events.map((e) => e.id));
  });

  it('answers one JSON page to clients that poll instead of streaming', async () => {
    const { alice, bob, dave } = acme.users;
    const start = (await test.request({ method: 'GET', url: '/api/v1/events?limit=500', token: bob.token })).json();
    let cursor = start.lastEventId;
    let page = start;
    while (page.hasMore) {
      page = (await test.request({ method: 'GET', url: `/api/v1/events?lastEventId=${cursor}&limit=500`, token: bob.token })).json();
      cursor = page.lastEventId;
    }
    const id = await sendText(test, alice, acme.launch, 'poll me');
    const next = await test.request({ method: 'GET', url: `/api/v1/events?lastEventId=${cursor}&limit=1`, token: bob.token });
    expect(next.statusCode).toBe(200);
    expect(next.json()).toMatchObject({ items: [{ type: 'message.created', data: { messageId: id } }], hasMore: false });
    const forDave = await test.request({ method: 'GET', url: `/api/v1/events?lastEventId=${cursor}`, token: dave.token });
    expect(forDave.json().items).toEqual([]);
    const bad = await test.request({ method: 'GET', url: '/api/v1/events', token: bob.token, headers: { 'last-event-id': 'yesterday' } });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses anonymous streams and never mixes tenants', async () => {
    const other = await createMessagingTenant(test);
    const anonymous = await test.request({ method: 'GET', url: '/api/v1/events', headers: { accept: 'text/event-stream' } });
    expect(anonymous.statusCode).toBe(401);
    const foreign = await open(other.users.bob.token);
    const id = await sendText(test, acme.users.alice, acme.launch, 'acme only');
    await recall(test, acme.users.alice, id);
    const otherId = await sendText(test, other.users.alice, other.launch, 'other tenant');
    await foreign.next(about(otherId, 'message.created'));
    expect(foreign.events.some((e) => e.json.data.messageId === id)).toBe(false);
  });
});
