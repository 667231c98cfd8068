import { MAX_WEBHOOKS } from '@retract/contracts';
import { inTenant, type Db } from '@retract/db';
import { CONFIG, ConfigError, loadConfig } from '../src/config/config';
import { MAX_ATTEMPTS, RETRY_BACKOFF_SECONDS, WebhookDispatcher } from '../src/modules/webhooks/webhook-dispatcher';
import { verifyWebhookSignature } from '../src/modules/webhooks/webhook-signature';
import { controlClock, createMessagingTenant, recall, sendText, type ControlledClock, type MessagingTenant } from './messaging-fixtures';
import { ownerDb, requireEnv, startTestApp, type TestApp } from './test-app';
import { Receiver, closedPort, stubDns } from './webhooks-fixtures';

/** A public address the stubbed DNS gives to names under example.test (nothing is ever sent to it). */
const PUBLIC_ADDRESS = '93.184.215.14';
/** The test's DNS zone: names set here answer these addresses; other names under example.test answer PUBLIC_ADDRESS. */
const zone = new Map<string, string[]>();

describe('webhooks', () => {
  let test: TestApp;
  let owner: Db;
  let acme: MessagingTenant;
  let other: MessagingTenant;
  let clock: ControlledClock;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  let dns: ReturnType<typeof stubDns>;

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    // The operator's allow-list: this receiver's port on 127.0.0.1, a name pinned to it, and 127.0.0.2 (any port).
    test = await startTestApp({ WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiver.port}, pinned.example.test:${receiver.port}, 127.0.0.2/32` });
    dns = stubDns(test, (hostname) => zone.get(hostname) ?? (hostname.endsWith('.example.test') ? [PUBLIC_ADDRESS] : undefined));
    owner = ownerDb();
    acme = await createMessagingTenant(test);
    other = await createMessagingTenant(test);
    dispatcher = test.app.get(WebhookDispatcher);
  });
  beforeEach(() => {
    clock = controlClock(test);
    receiver.now = () => Math.floor(clock.now().getTime() / 1000);
  });
  afterEach(() => clock.restore());
  afterAll(async () => {
    dns.mockRestore();
    await receiver.close();
    await owner.$disconnect();
    await test.close();
  });

  const register = async (eventTypes: string[], url = receiver.url) => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token: acme.users.admin.token,
      payload: { url, eventTypes, description: 'chat back end' },
    });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; secret: string }>();
  };
  /** One worker pass over this file's organisation (other test files share the database and may queue deliveries of their own). */
  const deliver = () => dispatcher.deliverDue(acme.id);
  const deliveries = async (webhookId: string) =>
    (await test.request({ method: 'GET', url: `/api/v1/webhooks/${webhookId}/deliveries`, token: acme.users.admin.token })).json().items;

  describe.each([
    ['admin', 200, 201, 404],
    ['compliance', 403, 403, 403],
    ['alice', 403, 403, 403],
  ])('as %s', (who, listStatus, createStatus, deleteStatus) => {
    it(`lists ${listStatus}, registers ${createStatus}, deletes an unknown id ${deleteStatus}`, async () => {
      const token = acme.users[who].token;
      expect((await test.request({ method: 'GET', url: '/api/v1/webhooks', token })).statusCode).toBe(listStatus);
      const created = await test.request({
        method: 'POST',
        url: '/api/v1/webhooks',
        token,
        payload: { url: 'https://hooks.example.test/x', eventTypes: ['message.created'] },
      });
      expect(created.statusCode).toBe(createStatus);
      expect((await test.request({ method: 'DELETE', url: '/api/v1/webhooks/00000000-0000-4000-8000-000000000000', token })).statusCode).toBe(deleteStatus);
      if (created.statusCode === 201) {
        expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${created.json().id}`, token })).statusCode).toBe(204);
      }
    });
  });

  it('shows the secret once, keeps it sealed, audits the change, refuses metadata addresses, 404 across tenants', async () => {
    const created = await register(['message.recalled']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const listed = (await test.request({ method: 'GET', url: '/api/v1/webhooks', token: acme.users.admin.token })).json();
    expect(listed.items.find((w: { id: string }) => w.id === created.id)).toEqual({
      id: created.id,
      url: receiver.url,
      eventTypes: ['message.recalled'],
      description: 'chat back end',
      createdAt: expect.any(String),
      createdBy: acme.users.admin.id,
    });
    const row = await inTenant(owner, { tenantId: acme.id }, (tx) => tx.webhook.findFirstOrThrow({ where: { tenantId: acme.id, id: created.id } }));
    expect(Buffer.from(row.secretSealed).toString('latin1')).not.toContain(created.secret);
    const audit = await inTenant(owner, { tenantId: acme.id }, (tx) => tx.auditEntry.findMany({ where: { tenantId: acme.id, action: 'WEBHOOK_CHANGED' } }));
    expect(audit.map((e) => Buffer.from(e.leaf).toString('utf8')).join('')).not.toContain(created.secret);
    expect(audit.length).toBeGreaterThanOrEqual(1);

    const metadata = await test.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token: acme.users.admin.token,
      payload: { url: 'http://169.254.169.254/latest', eventTypes: ['message.created'] },
    });
    expect(metadata.statusCode).toBe(400);
    expect(metadata.json().errors[0].field).toBe('url');
    const badType = await test.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token: acme.users.admin.token,
      payload: { url: receiver.url, eventTypes: ['message.read'] },
    });
    expect(badType.statusCode).toBe(400);
    expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${created.id}`, token: other.users.admin.token })).statusCode).toBe(404);
    expect((await test.request({ method: 'GET', url: `/api/v1/webhooks/${created.id}/deliveries`, token: other.users.admin.token })).statusCode).toBe(404);
    expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${created.id}`, token: acme.users.admin.token })).statusCode).toBe(204);
  });

  it('delivers a signed recall notice (no content) that the receiver verifies, and the receiver rejects its replay', async () => {
    const hook = await register(['message.recalled']);
    receiver.secret = hook.secret;
    receiver.received = [];
    const id = await sendText(test, acme.users.alice, acme.launch, 'webhook must not carry this');
    await recall(test, acme.users.alice, id);
    expect(await deliver()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.verdict).toBe('ok');
    expect(delivery.headers).toMatchObject({ 'retract-event-type': 'message.recalled', 'retract-webhook-id': hook.id, 'content-type': 'application/json' });
    const envelope = JSON.parse(delivery.body);
    expect(envelope).toMatchObject({
      id: delivery.headers['retract-event-id'],
      type: 'message.recalled',
      data: {
        messageId: id,
        conversationId: acme.launch,
        senderId: acme.users.alice.id,
        recallKind: 'SENDER',
        notices: { en: 'alice recalled a message', 'zh-CN': 'alice 撤回了一条消息', ja: 'aliceがメッセージの送信を取り消しました' },
      },
    });
    expect(delivery.body).not.toContain('must not carry');
    // The API's own helper agrees with the independent check above.
    expect(verifyWebhookSignature(hook.secret, String(delivery.headers['retract-signature']), delivery.body, receiver.now())).toMatchObject({ ok: true });
    expect(verifyWebhookSignature('whsec_wrong', String(delivery.headers['retract-signature']), delivery.body, receiver.now())).toEqual({
      ok: false,
      reason: 'MISMATCH',
    });
    expect(
      verifyWebhookSignature(hook.secret, String(delivery.headers['retract-signature']), delivery.body.replace('SENDER', 'FORCED'), receiver.now()),
    ).toEqual({ ok: false, reason: 'MISMATCH' });

    // Ten minutes later an attacker replays the captured request: the signature still matches, the timestamp does not.
    clock.advance(600_000);
    expect(await receiver.replay(delivery)).toBe(400);
    expect(receiver.received[1].verdict).toBe('stale timestamp (replay?)');

    const [logged] = await deliveries(hook.id);
    expect(logged).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, eventType: 'message.recalled', nextAttemptAt: null });
    await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: acme.users.admin.token });
  });

  it('retries with backoff after a failure, keeps every attempt in the delivery log, and gives up after the last one', async () => {
    const hook = await register(['message.created']);
    receiver.secret = hook.secret;
    receiver.received = [];
    receiver.replies = [500];
    await sendText(test, acme.users.alice, acme.launch, 'retry me');
    expect(await deliver()).toBe(1);
    let [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(Date.parse(log.nextAttemptAt) - clock.now().getTime()).toBe(RETRY_BACKOFF_SECONDS[0] * 1000);
    expect(await deliver()).toBe(0); // not due yet
    clock.advance(RETRY_BACKOFF_SECONDS[0] * 1000);
    expect(await deliver()).toBe(1);
    [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200 });
    expect(receiver.received.map((r) => r.verdict)).toEqual(['ok', 'ok']);
    expect(receiver.received[0].headers['retract-delivery-id']).toBe(receiver.received[1].headers['retract-delivery-id']);

    receiver.replies = Array.from({ length: MAX_ATTEMPTS }, () => 503);
    await sendText(test, acme.users.alice, acme.launch, 'never arrives');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await deliver()).toBe(1);
      if (attempt < MAX_ATTEMPTS) clock.advance(RETRY_BACKOFF_SECONDS[attempt - 1] * 1000);
    }
    [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, lastStatusCode: 503, nextAttemptAt: null });
    clock.advance(86_400_000);
    expect(await deliver()).toBe(0);
    await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: acme.users.admin.token });
  });

  it('stops delivering once deleted; what was pending is closed as FAILED', async () => {
    const hook = await register(['message.created']);
    await sendText(test, acme.users.alice, acme.launch, 'queued');
    expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: acme.users.admin.token })).statusCode).toBe(204);
    receiver.received = [];
    expect(await deliver()).toBe(1);
    expect(receiver.received).toEqual([]);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'FAILED', lastError: 'webhook deleted' });
    await sendText(test, acme.users.alice, acme.launch, 'after delete');
    expect(await deliveries(hook.id)).toHaveLength(1);
  });

  it(`keeps an organisation to ${MAX_WEBHOOKS} webhooks, concurrent registrations included, as the list's maxItems says`, async () => {
    const org = await createMessagingTenant(test);
    const create = () =>
      test.request({
        method: 'POST',
        url: '/api/v1/webhooks',
        token: org.users.admin.token,
        payload: { url: 'https://hooks.example.test/many', eventTypes: ['policy.changed'] },
      });
    const statuses = (await Promise.all(Array.from({ length: MAX_WEBHOOKS + 5 }, create))).map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(MAX_WEBHOOKS);
    expect(statuses.filter((status) => status === 409)).toHaveLength(5);
    const listed = (await test.request({ method: 'GET', url: '/api/v1/webhooks', token: org.users.admin.token })).json<{ items: { id: string }[] }>().items;
    expect(listed).toHaveLength(MAX_WEBHOOKS);
    expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${listed[0].id}`, token: org.users.admin.token })).statusCode).toBe(204);
    expect((await create()).statusCode).toBe(201);
  });

  describe('targets (SSRF)', () => {
    const attempt = (url: string) =>
      test.request({ method: 'POST', url: '/api/v1/webhooks', token: acme.users.admin.token, payload: { url, eventTypes: ['message.created'] } });
    const listedUrls = async () =>
      (await test.request({ method: 'GET', url: '/api/v1/webhooks', token: acme.users.admin.token })).json().items.map((w: { url: string }) => w.url);
    /** Deletes the hooks and closes what they left pending, so later tests see no due deliveries. */
    const retire = async (...ids: string[]) => {
      for (const id of ids)
        expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, token: acme.users.admin.token })).statusCode).toBe(204);
      clock.advance(86_400_000);
      while ((await deliver()) > 0);
    };
    afterEach(() => zone.clear());

    it.each([
      ['http://127.0.0.1/hooks', 'must not be a loopback address'],
      ['http://[::1]/hooks', 'must not be a loopback address'],
      ['http://[::ffff:127.0.0.1]/hooks', 'must not be a loopback address'],
      ['http://169.254.169.254/latest/meta-data', 'must not be a link-local address'],
      ['http://[::ffff:169.254.169.254]/latest', 'must not be a link-local address'],
      ['http://10.0.0.1/hooks', 'must not be a private address'],
      ['http://192.168.1.20/hooks', 'must not be a private address'],
      ['http://100.64.0.1/hooks', 'must not be a carrier-grade NAT (shared) address'],
      ['http://[fd00::1]/hooks', 'must not be a unique local (private) IPv6 address'],
      ['http://[fe80::1]/hooks', 'must not be a link-local address'],
      ['http://0.0.0.0/hooks', 'must not be an unspecified address'],
      ['http://2130706433/hooks', 'must not be a loopback address'],
      ['http://0x7f.1/hooks', 'must not be a loopback address'],
      ['http://[64:ff9b::7f00:1]/hooks', 'must not be a loopback address'],
    ])('refuses to register %s (400: %s)', async (url, message) => {
      const response = await attempt(url);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'url', code: 'target_not_allowed', message }] });
      expect(await listedUrls()).not.toContain(url);
    });

    it('refuses a host name that resolves to a non-public address without saying which, and one that does not resolve', async () => {
      // The real DNS (hosts file): localhost is loopback, on the allow-listed port too — the allow-list names 127.0.0.1, not localhost.
      const local = await attempt(`http://localhost:${receiver.port}/hooks/retract`);
      expect(local.statusCode).toBe(400);
      expect(local.json().errors).toEqual([{ field: 'url', code: 'target_not_allowed', message: 'names a host that resolves to a non-public address' }]);
      expect(local.body).not.toMatch(/127\.0\.0\.1|::1/);

      // Every address counts, not only the first.
      zone.set('mixed.example.test', [PUBLIC_ADDRESS, '10.11.12.13']);
      const mixed = await attempt('https://mixed.example.test/hooks');
      expect(mixed.statusCode).toBe(400);
      expect(mixed.json().errors[0].message).toBe('names a host that resolves to a non-public address');
      expect(mixed.body).not.toContain('10.11.12.13');

      const nowhere = await attempt('https://nowhere.invalid/hooks');
      expect(nowhere.statusCode).toBe(400);
      expect(nowhere.json().errors).toEqual([{ field: 'url', code: 'target_not_allowed', message: 'names a host that does not resolve' }]);
      const credentials = await attempt('https://user:secret@hooks.example.test/hooks');
      expect(credentials.statusCode).toBe(400);
      expect(credentials.json().errors[0].message).toBe('must not contain credentials (the signature authenticates deliveries)');
    });

    it('requires https in production, except for an allow-listed receiver', async () => {
      expect(test.app.get(CONFIG)).toBe(test.config);
      const asProduction = jest.replaceProperty(test.config, 'NODE_ENV', 'production');
      try {
        const plain = await attempt('http://hooks.example.test/retract');
        expect(plain.statusCode).toBe(400);
        expect(plain.json().errors).toEqual([{ field: 'url', code: 'target_not_allowed', message: 'must use https' }]);
        const secure = await attempt('https://hooks.example.test/retract');
        expect(secure.statusCode).toBe(201);
        const internal = await attempt(receiver.url);
        expect(internal.statusCode).toBe(201);
        await retire(secure.json().id, internal.json().id);
      } finally {
        asProduction.restore();
      }
    });

    it('checks again at delivery: a host that resolves to loopback by then (DNS rebinding) is not contacted, and the log says only why', async () => {
      const hook = await register(['message.created'], `http://rebind.example.test:${receiver.port}/hooks/retract`);
      zone.set('rebind.example.test', ['127.0.0.1']);
      receiver.received = [];
      await sendText(test, acme.users.alice, acme.launch, 'rebound');
      expect(await deliver()).toBe(1);
      expect(receiver.received).toEqual([]);
      const [log] = await deliveries(hook.id);
      expect(log).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null, lastError: 'target address not allowed' });
      expect(JSON.stringify(log)).not.toMatch(/127\.0\.0\.1/);
      await retire(hook.id);
    });

    it('connects to the address it checked, with the host name as Host', async () => {
      // pinned.example.test exists only in the test's zone: the system resolver cannot find it, so a delivery arrives only if the connection used the checked address.
      zone.set('pinned.example.test', ['127.0.0.1']);
      const hook = await register(['message.created'], `http://pinned.example.test:${receiver.port}/hooks/retract`);
      receiver.secret = hook.secret;
      receiver.received = [];
      dns.mockClear();
      await sendText(test, acme.users.alice, acme.launch, 'pinned');
      expect(await deliver()).toBe(1);
      expect(receiver.received.map((r) => [r.verdict, r.headers.host])).toEqual([['ok', `pinned.example.test:${receiver.port}`]]);
      expect(dns.mock.calls).toEqual([['pinned.example.test']]);
      expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200 });
      await retire(hook.id);
    });

    it('records a failed delivery as a category (connection refused, TLS error, HTTP status), with no address, port or body, and follows no redirect', async () => {
      const refusedPort = await closedPort('127.0.0.2');
      const refused = await register(['message.created'], `http://127.0.0.2:${refusedPort}/hooks`);
      const tls = await register(['message.created'], `https://127.0.0.1:${receiver.port}/hooks/retract`);
      const redirected = await register(['message.created'], receiver.url);
      receiver.secret = redirected.secret;
      receiver.received = [];
      receiver.replies = [302];
      await sendText(test, acme.users.alice, acme.launch, 'three receivers');
      expect(await deliver()).toBe(3);
      const [refusedLog] = await deliveries(refused.id);
      const [tlsLog] = await deliveries(tls.id);
      const [redirectedLog] = await deliveries(redirected.id);
      expect(refusedLog).toMatchObject({ status: 'PENDING', lastStatusCode: null, lastError: 'connection refused' });
      expect(tlsLog).toMatchObject({ status: 'PENDING', lastStatusCode: null, lastError: 'TLS error' });
      expect(redirectedLog).toMatchObject({ status: 'PENDING', lastStatusCode: 302, lastError: 'HTTP 302 (redirects are not followed)' });
      expect(receiver.received.map((r) => r.verdict)).toEqual(['ok']); // the redirect's target was never asked
      for (const log of [refusedLog, tlsLog, redirectedLog]) expect(log.lastError).not.toMatch(/127\.0\.0|\d{4,}|Error|at /);
      receiver.replies = [];
      await retire(refused.id, tls.id, redirected.id);
    });

    it('refuses an allow-list that would open everything, and allows nothing internal by default', () => {
      const base = {
        ...process.env,
        APP_DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL'),
        JWT_SECRET: 'x'.repeat(32),
        AUDIT_KEK: Buffer.alloc(32).toString('base64'),
      };
      for (const blanket of ['0.0.0.0/0', '::/0', '*', '0.0.0.0/4']) {
        expect(() => loadConfig({ ...base, WEBHOOK_ALLOWED_TARGETS: blanket })).toThrow(ConfigError);
        expect(() => loadConfig({ ...base, WEBHOOK_ALLOWED_TARGETS: blanket })).toThrow(/WEBHOOK_ALLOWED_TARGETS/);
      }
      expect(loadConfig({ ...base, WEBHOOK_ALLOWED_TARGETS: undefined }).WEBHOOK_ALLOWED_TARGETS).toEqual([]);
    });
  });

  it('once started, the worker delivers a new event without waiting for a poll', async () => {
    clock.restore();
    receiver.now = () => Math.floor(Date.now() / 1000);
    const hook = await register(['message.created']);
    receiver.secret = hook.secret;
    receiver.received = [];
    dispatcher.start();
    await sendText(test, acme.users.bob, acme.launch, 'live');
    const deadline = Date.now() + 10_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received.map((r) => r.verdict)).toEqual(['ok']);
  });
});
