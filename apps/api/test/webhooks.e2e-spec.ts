import { inTenant, type Db } from '@retract/db';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ATTEMPTS, RETRY_BACKOFF_SECONDS, WebhookDispatcher } from '../src/modules/webhooks/webhook-dispatcher';
import { verifyWebhookSignature } from '../src/modules/webhooks/webhook-signature';
import { controlClock, createMessagingTenant, recall, sendText, type ControlledClock, type MessagingTenant } from './messaging-fixtures';
import { ownerDb, startTestApp, type TestApp } from './test-app';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verdict: string;
}

/**
 * A real receiver on 127.0.0.1, as an integrator would write it: recompute the HMAC over the raw
 * body and the signed timestamp, compare in constant time, refuse timestamps more than 300 s from
 * its own clock (replays). It answers with the statuses queued in `replies` (then 200).
 */
class Receiver {
  server!: Server;
  url!: string;
  secret = '';
  now = () => Math.floor(Date.now() / 1000);
  replies: number[] = [];
  received: Received[] = [];

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const verdict = this.verify(String(req.headers['retract-signature'] ?? ''), body);
        this.received.push({ headers: req.headers, body, verdict });
        const status = verdict !== 'ok' ? 400 : (this.replies.shift() ?? 200);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(verdict);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/retract`;
  }

  verify(header: string, body: string): string {
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    if (!match) return 'malformed';
    const expected = createHmac('sha256', this.secret).update(`${match[1]}.${body}`).digest();
    if (!timingSafeEqual(expected, Buffer.from(match[2], 'hex'))) return 'bad signature';
    if (Math.abs(this.now() - Number(match[1])) > 300) return 'stale timestamp (replay?)';
    return 'ok';
  }

  /** Sends a captured delivery again, as an attacker who recorded it would. */
  replay(captured: Received): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.url, { method: 'POST', headers: { 'content-type': 'application/json', 'retract-signature': String(captured.headers['retract-signature']) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(captured.body);
    });
  }

  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('webhooks', () => {
  let test: TestApp;
  let owner: Db;
  let acme: MessagingTenant;
  let other: MessagingTenant;
  let clock: ControlledClock;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;

  beforeAll(async () => {
    test = await startTestApp();
    owner = ownerDb();
    acme = await createMessagingTenant(test);
    other = await createMessagingTenant(test);
    receiver = new Receiver();
    await receiver.start();
    dispatcher = test.app.get(WebhookDispatcher);
  });
  beforeEach(() => {
    clock = controlClock(test);
    receiver.now = () => Math.floor(clock.now().getTime() / 1000);
  });
  afterEach(() => clock.restore());
  afterAll(async () => {
    await receiver.close();
    await owner.$disconnect();
    await test.close();
  });

  const register = async (eventTypes: string[], url = receiver.url) => {
    const response = await test.request({ method: 'POST', url: '/api/v1/webhooks', token: acme.users.admin.token, payload: { url, eventTypes, description: 'chat back end' } });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; secret: string };
  };
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
      const created = await test.request({ method: 'POST', url: '/api/v1/webhooks', token, payload: { url: 'https://hooks.example.test/x', eventTypes: ['message.created'] } });
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

    const metadata = await test.request({ method: 'POST', url: '/api/v1/webhooks', token: acme.users.admin.token, payload: { url: 'http://169.254.169.254/latest', eventTypes: ['message.created'] } });
    expect(metadata.statusCode).toBe(400);
    expect(metadata.json().errors[0].field).toBe('url');
    const badType = await test.request({ method: 'POST', url: '/api/v1/webhooks', token: acme.users.admin.token, payload: { url: receiver.url, eventTypes: ['message.read'] } });
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
    expect(await dispatcher.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.verdict).toBe('ok');
    expect(delivery.headers).toMatchObject({ 'retract-event-type': 'message.recalled', 'retract-webhook-id': hook.id, 'content-type': 'application/json' });
    const envelope = JSON.parse(delivery.body);
    expect(envelope).toMatchObject({
      id: delivery.headers['retract-event-id'],
      type: 'message.recalled',
      data: { messageId: id, conversationId: acme.launch, senderId: acme.users.alice.id, recallKind: 'SENDER', notices: { en: 'alice recalled a message', 'zh-CN': 'alice 撤回了一条消息', ja: 'aliceがメッセージの送信を取り消しました' } },
    });
    expect(delivery.body).not.toContain('must not carry');
    // The API's own helper agrees with the independent check above.
    expect(verifyWebhookSignature(hook.secret, String(delivery.headers['retract-signature']), delivery.body, receiver.now())).toMatchObject({ ok: true });
    expect(verifyWebhookSignature('whsec_wrong', String(delivery.headers['retract-signature']), delivery.body, receiver.now())).toEqual({ ok: false, reason: 'MISMATCH' });
    expect(verifyWebhookSignature(hook.secret, String(delivery.headers['retract-signature']), delivery.body.replace('SENDER', 'FORCED'), receiver.now())).toEqual({ ok: false, reason: 'MISMATCH' });

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
    expect(await dispatcher.runOnce()).toBe(1);
    let [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(Date.parse(log.nextAttemptAt) - clock.now().getTime()).toBe(RETRY_BACKOFF_SECONDS[0] * 1000);
    expect(await dispatcher.runOnce()).toBe(0); // not due yet
    clock.advance(RETRY_BACKOFF_SECONDS[0] * 1000);
    expect(await dispatcher.runOnce()).toBe(1);
    [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200 });
    expect(receiver.received.map((r) => r.verdict)).toEqual(['ok', 'ok']);
    expect(receiver.received[0].headers['retract-delivery-id']).toBe(receiver.received[1].headers['retract-delivery-id']);

    receiver.replies = Array.from({ length: MAX_ATTEMPTS }, () => 503);
    await sendText(test, acme.users.alice, acme.launch, 'never arrives');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await dispatcher.runOnce()).toBe(1);
      if (attempt < MAX_ATTEMPTS) clock.advance(RETRY_BACKOFF_SECONDS[attempt - 1] * 1000);
    }
    [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, lastStatusCode: 503, nextAttemptAt: null });
    clock.advance(86_400_000);
    expect(await dispatcher.runOnce()).toBe(0);
    await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: acme.users.admin.token });
  });

  it('stops delivering once deleted; what was pending is closed as FAILED', async () => {
    const hook = await register(['message.created']);
    await sendText(test, acme.users.alice, acme.launch, 'queued');
    expect((await test.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: acme.users.admin.token })).statusCode).toBe(204);
    receiver.received = [];
    expect(await dispatcher.runOnce()).toBe(1);
    expect(receiver.received).toEqual([]);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'FAILED', lastError: 'webhook deleted' });
    await sendText(test, acme.users.alice, acme.launch, 'after delete');
    expect(await deliveries(hook.id)).toHaveLength(1);
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
