import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { RoomType, type IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { createRetractClient, ok } from '@retract/sdk';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestApp, TestTenant } from '../../api/test/test-app';
import { startLiveIntegration } from '../../../tools/sdk/src/live-api';
import { RetractApp } from '../app/RetractApp';
import { SETTING } from '../app/src/settings';
import { AppStore, engineRead, silentLogger, type Notification } from './engine-accessors';
import { fetchHttp } from './fetch-http';

/**
 * The app's handlers called as Rocket.Chat calls them (the engine's interfaces), with an HTTP
 * accessor that reaches a real Retract API started here on a loopback port.
 */
const person = (id: string, language?: string): IUser =>
  ({
    id,
    username: id,
    name: `Person ${id}`,
    emails: [{ address: `${id}@chat.example`, verified: true }],
    settings: language ? { preferences: { language } } : undefined,
  }) as unknown as IUser;

const channel = { id: 'room-general', type: RoomType.CHANNEL, slugifiedName: 'general' } as unknown as IRoom;

// The manifest Rocket.Chat reads the app's info from (the engine's App constructor uses its author).
const info = JSON.parse(readFileSync(join(__dirname, '../app/app.json'), 'utf8')) as IAppInfo;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the Rocket.Chat App against Retract', () => {
  let test: TestApp;
  let url: string;
  let tenant: TestTenant;
  let token: string;

  beforeAll(async () => {
    ({ test, url, tenant, token } = await startLiveIntegration({ name: 'Rocket.Chat', scopes: ['recall:decide', 'recall:record', 'directory:write'] }));
  });
  afterAll(() => test?.close());

  function workspace(overrides: Record<string, unknown> = {}) {
    const settings = {
      [SETTING.url]: url,
      [SETTING.token]: token,
      [SETTING.source]: 'rocketchat',
      [SETTING.whenUnreachable]: 'prevent',
      [SETTING.syncDirectory]: true,
      ...overrides,
    };
    const store = new AppStore();
    const notifications: Notification[] = [];
    const calls: Parameters<typeof fetchHttp>[0] = [];
    const logs: string[] = [];
    return {
      app: new RetractApp(info, silentLogger(logs)),
      read: engineRead({ settings, store, notifications }),
      http: fetchHttp(calls),
      store,
      notifications,
      calls,
      logs,
    };
  }

  const message = (sender: IUser, createdAt = new Date(), text = `hello ${randomUUID()}`): IMessage => ({
    id: `msg-${randomUUID()}`,
    room: channel,
    sender,
    text,
    createdAt,
    files: [{ _id: 'f1', name: 'plan.pdf', type: 'application/pdf' }],
  });

  const modify = {} as IModify;
  const compliance = () => createRetractClient({ baseUrl: url, token: tenant.users.compliance.token });

  it('lets a sender delete a recent message, then records the deletion with its content under the message id', async () => {
    const w = workspace();
    const alice = person('u-alice', 'ja');
    const msg = message(alice);
    await expect(w.app.executePreMessageDeletePrevent(msg, w.read, w.http, w.store)).resolves.toBe(false);
    expect(w.notifications).toEqual([]);

    await w.app.executePostMessageDeleted(msg, w.read, w.http, w.store, modify, { message: msg, user: alice });
    const recall = w.calls.find((call) => call.url.endsWith('/api/v1/recalls'));
    expect(recall).toMatchObject({ method: 'POST', status: 201, headers: expect.objectContaining({ 'Idempotency-Key': msg.id }) });
    expect(w.calls.find((call) => call.url.endsWith('/api/v1/directory/people/rocketchat/u-alice'))).toMatchObject({ method: 'PUT', status: 200 });
    expect(w.store.records.size).toBe(0);

    // Rocket.Chat may deliver the event twice: the same key replays the first answer, nothing is recorded twice.
    await w.app.executePostMessageDeleted(msg, w.read, w.http, w.store, modify, { message: msg, user: alice });
    const replay = await fetch(`${url}/api/v1/recalls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'Idempotency-Key': msg.id! },
      body: JSON.stringify({
        message: {
          source: 'rocketchat',
          externalId: msg.id,
          type: 'FILE',
          sentAt: msg.createdAt!.toISOString(),
          sender: { source: 'rocketchat', externalId: 'u-alice' },
          conversation: { source: 'rocketchat', externalId: channel.id, kind: 'GROUP' },
        },
        actor: { source: 'rocketchat', externalId: 'u-alice' },
        forced: false,
        content: { text: msg.text, attachments: [{ name: 'plan.pdf' }] },
      }),
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const recorded = (await replay.json()) as { auditSeq: number };

    const entry = ok(await compliance().GET('/api/v1/audit/{seq}', { params: { path: { seq: recorded.auditSeq } } }));
    expect(entry).toMatchObject({
      action: 'MESSAGE_RECALLED',
      forced: false,
      hasContent: true,
      actor: expect.objectContaining({ displayName: 'Person u-alice' }),
    });
    // Opened as a built-in recall's content (docs/integration.md): the message's type, its text as `body`, its file names.
    expect(entry.content).toMatchObject({ state: 'READABLE', value: { type: 'FILE', body: msg.text, attachments: [{ name: 'plan.pdf' }] } });
  });

  // What the user reads is the reason for the refusal (the window closed), never a recall notice.
  it.each([
    ['ja', 'ja', /^このメッセージは送信から \d+ 秒が経過しています。取り消せるのは 120 秒以内です（猶予 5 秒）。$/],
    ['zh-TW', 'zh-CN', /^该消息已发送 \d+ 秒；只能在 120 秒内撤回（另有 5 秒宽限）。$/],
    ['pt-BR', 'en', /^The message is \d+ s old; it could be recalled for 120 s \(\+5 s grace\)\.$/],
  ] as const)('prevents deleting a message past the window and tells a user whose language is %s why, in %s', async (language, locale, why) => {
    const w = workspace();
    const sender = person(`u-${language}`, language);
    const old = message(sender, new Date(Date.now() - 400 * 24 * 3600_000));
    await expect(w.app.executePreMessageDeletePrevent(old, w.read, w.http, w.store)).resolves.toBe(true);

    const decision = ok(
      await createRetractClient({ baseUrl: url, token }).POST('/api/v1/recall-decisions', {
        body: {
          message: {
            source: 'rocketchat',
            externalId: old.id!,
            type: 'FILE',
            sentAt: old.createdAt!.toISOString(),
            sender: { source: 'rocketchat', externalId: sender.id },
            conversation: { source: 'rocketchat', externalId: channel.id, kind: 'GROUP' },
          },
          actor: { source: 'rocketchat', externalId: sender.id },
        },
      }),
    );
    expect(decision).toMatchObject({ allowed: false, code: 'WINDOW_EXPIRED' });
    expect(w.notifications).toEqual([{ user: sender.id, room: channel.id, text: expect.stringMatching(why) }]);
    expect(decision.notices[locale]).toMatch(why);
  });

  it("records a moderator's deletion of someone else's message as forced, with the moderator as actor", async () => {
    const w = workspace();
    const bob = person('u-bob', 'en');
    const moderator = person('u-mod', 'en');
    const msg = message(bob);
    await w.app.executePostMessageDeleted(msg, w.read, w.http, w.store, modify, { message: msg, user: moderator });
    expect(w.calls.filter((call) => call.url.includes('/directory/people/')).map((call) => call.url.split('/').pop())).toEqual(['u-bob', 'u-mod']);
    const recall = w.calls.find((call) => call.url.endsWith('/api/v1/recalls'));
    expect(recall?.status).toBe(201);
  });

  it('when Retract cannot be reached: prevents (or allows, as set) the deletion, keeps the record and sends it once Retract answers', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const alice = person('u-alice', 'zh-CN');
    const msg = message(alice);

    const preventing = workspace({ [SETTING.url]: down });
    await expect(preventing.app.executePreMessageDeletePrevent(msg, preventing.read, preventing.http, preventing.store)).resolves.toBe(true);
    expect(preventing.notifications).toEqual([{ user: 'u-alice', room: channel.id, text: expect.stringContaining('撤回策略服务') }]);

    const allowing = workspace({ [SETTING.url]: down, [SETTING.whenUnreachable]: 'allow' });
    await expect(allowing.app.executePreMessageDeletePrevent(msg, allowing.read, allowing.http, allowing.store)).resolves.toBe(false);
    await allowing.app.executePostMessageDeleted(msg, allowing.read, allowing.http, allowing.store, modify, { message: msg, user: alice });
    expect([...allowing.store.records.values()].map((record) => record.data)).toEqual([expect.objectContaining({ idempotencyKey: msg.id, attempts: 1 })]);

    // Retract is back: the outbox job sends the kept recall with its key and forgets it.
    const back = workspace();
    const store = allowing.store;
    await back.app.sendPending(
      engineRead({ settings: { [SETTING.url]: url, [SETTING.token]: token, [SETTING.source]: 'rocketchat' }, store, notifications: [] }),
      back.http,
      store,
    );
    expect(back.calls.filter((call) => call.url.endsWith('/api/v1/recalls')).map((call) => [call.status, call.headers['Idempotency-Key']])).toEqual([
      [201, msg.id],
    ]);
    expect(store.records.size).toBe(0);
  });

  it('stays out of the way until it has a URL and a token', async () => {
    const w = workspace({ [SETTING.token]: '' });
    const msg = message(person('u-alice'));
    await expect(w.app.executePreMessageDeletePrevent(msg, w.read, w.http, w.store)).resolves.toBe(false);
    await w.app.executePostMessageDeleted(msg, w.read, w.http, w.store, modify, { message: msg, user: msg.sender });
    expect(w.calls).toEqual([]);
  });
});
