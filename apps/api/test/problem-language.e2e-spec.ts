import { createMessagingTenant, controlClock, recall, sendText, type ControlledClock, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

/**
 * A problem's `detail` is in the reader's language (the signed-in person's locale, else
 * Accept-Language, else English), while type, title, status and code stay the same for every
 * reader: clients branch on those (docs/architecture.md, "Problem details in the reader's language").
 */
describe('problem details in the reader’s language', () => {
  let test: TestApp;
  let acme: MessagingTenant;
  let clock: ControlledClock;

  beforeAll(async () => {
    test = await startTestApp();
    acme = await createMessagingTenant(test);
  });
  beforeEach(() => {
    clock = controlClock(test);
  });
  afterEach(() => clock.restore());
  afterAll(() => test.close());

  const setOwnLocale = async (locale: string) => {
    const response = await test.request({ method: 'PATCH', url: '/api/v1/me', token: acme.users.alice.token, payload: { locale } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: acme.users.alice.id, locale });
  };

  it('the same refusal (WINDOW_EXPIRED) reads in English, Chinese and Japanese with the same type, title and code', async () => {
    const start = Date.parse('2030-05-01T09:00:00.000Z');
    clock.set(start);
    const late = await sendText(test, acme.users.alice, acme.launch);
    clock.set(start + 200_000);

    const refusals: Record<string, Record<string, unknown>> = {};
    for (const locale of ['en', 'zh-CN', 'ja']) {
      await setOwnLocale(locale);
      const response = await recall(test, acme.users.alice, late);
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      refusals[locale] = response.json();
    }
    await setOwnLocale('en');

    const stable = ({ type, title, status, code, decidedBy }: Record<string, unknown>) => ({ type, title, status, code, decidedBy });
    expect(stable(refusals['zh-CN'])).toEqual(stable(refusals.en));
    expect(stable(refusals.ja)).toEqual(stable(refusals.en));
    expect(stable(refusals.en)).toEqual({
      type: 'https://retract.dev/problems/window-expired',
      title: 'The recall window has closed',
      status: 422,
      code: 'WINDOW_EXPIRED',
      decidedBy: 'TENANT_DEFAULT',
    });
    expect(refusals.en.detail).toBe('The message is 200 s old; it could be recalled for 120 s (+5 s grace).');
    expect(refusals['zh-CN'].detail).toBe('该消息已发送 200 秒；只能在 120 秒内撤回（另有 5 秒宽限）。');
    expect(refusals.ja.detail).toBe('このメッセージは送信から 200 秒が経過しています。取り消せるのは 120 秒以内です（猶予 5 秒）。');
  });

  it('a batch recall says why each message was refused in the reader’s language, with the same codes', async () => {
    const start = Date.parse('2030-05-02T09:00:00.000Z');
    clock.set(start);
    const late = await sendText(test, acme.users.alice, acme.launch);
    clock.set(start + 200_000);
    const fresh = await sendText(test, acme.users.alice, acme.launch);
    await setOwnLocale('ja');
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/messages/recall',
      token: acme.users.alice.token,
      payload: { messageIds: [late, fresh] },
    });
    await setOwnLocale('en');
    expect(response.statusCode).toBe(200);
    expect(response.json().results.map((r: { code: string | null; detail: string | null }) => [r.code, r.detail])).toEqual([
      ['WINDOW_EXPIRED', 'このメッセージは送信から 200 秒が経過しています。取り消せるのは 120 秒以内です（猶予 5 秒）。'],
      [null, null],
    ]);
  });

  it('the signed-in person’s locale wins over Accept-Language; without a session Accept-Language decides', async () => {
    const other = await sendText(test, acme.users.bob, acme.launch);
    const asAlice = await test.request({
      method: 'POST',
      url: `/api/v1/messages/${other}/recall`,
      token: acme.users.alice.token,
      payload: {},
      headers: { 'accept-language': 'ja-JP,ja;q=0.9' },
    });
    expect(asAlice.json()).toMatchObject({ code: 'NOT_SENDER', detail: 'Only the sender may recall a message.' });

    const anonymous = (acceptLanguage: string) => test.request({ method: 'GET', url: '/api/v1/me', headers: { 'accept-language': acceptLanguage } });
    const [ja, zh, fr] = await Promise.all([anonymous('ja'), anonymous('zh-TW,zh;q=0.9'), anonymous('fr-FR')]);
    expect([ja.statusCode, zh.statusCode, fr.statusCode]).toEqual([401, 401, 401]);
    expect(ja.json()).toMatchObject({ code: 'UNAUTHENTICATED', title: 'Authentication required', detail: '続行するにはサインインしてください。' });
    expect(zh.json()).toMatchObject({ code: 'UNAUTHENTICATED', title: 'Authentication required', detail: '请登录后继续。' });
    expect(fr.json()).toMatchObject({ code: 'UNAUTHENTICATED', title: 'Authentication required', detail: 'Log in to continue.' });
  });

  it('a detail written only in English at its throw site falls back to the code’s general detail in other languages', async () => {
    const response = await test.request({
      method: 'GET',
      url: '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries',
      token: acme.users.admin.token,
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(404);
    const english = response.json().detail;
    expect(english).toMatch(/^No such /);
    const chinese = await test.request({
      method: 'GET',
      url: '/api/v1/no-such-route',
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(chinese.json()).toMatchObject({ code: 'NOT_FOUND', title: 'Not found', detail: '未找到：它不存在，或不属于您的组织。' });
  });

  it('PATCH /me refuses a language the product does not have', async () => {
    const response = await test.request({ method: 'PATCH', url: '/api/v1/me', token: acme.users.alice.token, payload: { locale: 'fr' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
