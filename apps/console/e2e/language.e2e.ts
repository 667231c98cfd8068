import { expect, test, type Browser, type Page } from '@playwright/test';
import { signInAs, snapshot, wrappedButtons } from './helpers';

const fromConsole = { headers: { 'sec-fetch-site': 'same-origin' } };
/** Kana, CJK ideographs and full-width forms. */
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/** Signs in in a context of its own (a person of its own, with its own cookies). */
async function personPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email);
  return page;
}

/** Puts a person's language back, whatever a test left it at: the demo people are shared by every browser test. */
async function resetLanguage(browser: Browser, email: string) {
  const page = await personPage(browser, email);
  expect((await page.request.patch('/api/v1/me', { ...fromConsole, data: { locale: 'en' } })).status()).toBe(200);
  await page.context().close();
}

/**
 * The language switcher of a signed-in person changes their own language (docs/architecture.md,
 * "Languages"): the console, the recall notices the API writes for them and its problem details follow it.
 */
test.describe('the language of a person', () => {
  test.afterEach(async ({ browser }) => {
    await resetLanguage(browser, 'alice@acme.test');
    await resetLanguage(browser, 'carol@acme.test');
  });

  test('alice switches to 简体中文 and reads bob’s recall notice in Chinese', async ({ browser }, testInfo) => {
    const bob = await personPage(browser, 'bob@acme.test');
    const conversations = (await (await bob.request.get('/api/v1/conversations?limit=100')).json()).items as {
      id: string;
      kind: string;
      members: { displayName: string }[];
    }[];
    const direct = conversations.find((c) => c.kind === 'DIRECT' && c.members.length === 2 && c.members.some((m) => m.displayName === 'Alice Anders'))!;
    const sent = await bob.request.post(`/api/v1/conversations/${direct.id}/messages`, {
      ...fromConsole,
      data: { type: 'TEXT', body: `wrong figures ${Date.now()}` },
    });
    expect(sent.status()).toBe(201);
    const messageId = (await sent.json()).id as string;
    expect((await bob.request.post(`/api/v1/messages/${messageId}/recall`, { ...fromConsole, data: {} })).status()).toBe(200);
    await bob.context().close();

    const alice = await personPage(browser, 'alice@acme.test');
    await alice.goto(`/messages?c=${direct.id}`);
    const notice = alice.locator(`[data-message-id="${messageId}"]`).getByTestId('recall-notice');
    await expect(notice).toHaveText('Bob Brown recalled a message');

    await alice.getByLabel('Language').selectOption('zh-CN');
    await expect(alice.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await alice.reload();
    await expect(alice.locator(`[data-message-id="${messageId}"]`).getByTestId('recall-notice')).toHaveText('Bob Brown 撤回了一条消息');
    await snapshot(alice, testInfo, 'messages-zh-CN-recall-notice');

    // It is her language, not this browser's: a fresh browser shows it too, and the API answers her in it.
    await alice.context().close();
    const elsewhere = await personPage(browser, 'alice@acme.test');
    await expect(elsewhere.locator('html')).toHaveAttribute('lang', 'zh-CN');
    expect((await (await elsewhere.request.get('/api/v1/me')).json()).locale).toBe('zh-CN');
    const refused = await (await elsewhere.request.post(`/api/v1/messages/${messageId}/recall`, { ...fromConsole, data: {} })).json();
    expect(refused).toMatchObject({ code: 'NOT_SENDER', title: 'Only the sender may do this', detail: '只有发送者可以撤回消息。' });
    await elsewhere.context().close();
  });

  test('the Japanese console: carol switches to 日本語 and the pages she opens are in Japanese, buttons on one line', async ({ browser }, testInfo) => {
    const carol = await personPage(browser, 'carol@acme.test');
    await carol.getByLabel('Language').selectOption('ja');
    await expect(carol.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(carol.getByRole('navigation', { name: 'セクション' }).getByRole('link', { name: 'メッセージ' })).toBeVisible();
    await expect(carol.getByRole('heading', { level: 1 })).toHaveText('ようこそ、Carol Chen さん');
    await expect(carol.getByTestId('glance-conversations').getByRole('heading', { name: 'あなたの会話' })).toBeVisible();
    await expect(carol.getByRole('button', { name: 'サインアウト' })).toBeVisible();
    await expect(carol.getByTestId('glance-conversations')).toContainText(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2} UTC/);
    await snapshot(carol, testInfo, 'home-ja');

    await carol.goto('/messages');
    await expect(carol.getByTestId('send')).toHaveText('送信');
    await carol.getByRole('textbox', { name: 'メッセージ' }).fill('お疲れさまです');
    expect(await wrappedButtons(carol)).toEqual([]);
    await snapshot(carol, testInfo, 'messages-ja');

    await carol.goto('/policy');
    await expect(carol).toHaveURL(/\/\?denied=policy$/);
    await expect(carol.getByTestId('access-denied')).toHaveText(/^ポリシーにはアクセスできません。/);
    await carol.context().close();
  });

  test('date filters and dates follow the console language: ISO days to type, 年月日 to read, in the Chinese audit log', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    // This browser only (the cookie), so compliance's own language stays English for the other tests.
    await page.context().addCookies([{ name: 'retract_locale', value: 'zh-CN', url: new URL(page.url()).origin }]);
    await page.goto('/audit');
    const from = page.getByLabel('开始日期（UTC）');
    await expect(from).toHaveAttribute('placeholder', 'yyyy-mm-dd');
    await expect(from).toHaveAttribute('type', 'text');
    const today = new Date().toISOString().slice(0, 10);
    await from.fill(today);
    await page.getByRole('search').getByRole('button', { name: '应用' }).click();
    await expect(page).toHaveURL(new RegExp(`from=${today}`));
    const time = page.getByTestId('audit-row').first().locator('.nowrap.muted');
    await expect(time).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2} UTC$/);
    await snapshot(page, testInfo, 'audit-zh-CN-day-filter');
  });

  test('the Japanese console for an administrator and a compliance officer: every page they open is in Japanese, no button label wraps', async ({
    browser,
  }) => {
    const pages: Record<string, [string, string][]> = {
      'admin@acme.test': [
        ['/', '組織の概要'],
        ['/users', 'ユーザーとロール'],
        ['/policy', '取り消しポリシー'],
        ['/webhooks', 'Webhook'],
        ['/service-accounts', 'サービスアカウント'],
      ],
      'compliance@acme.test': [
        ['/', 'コンプライアンスの概要'],
        ['/audit', '監査ログ'],
        ['/integrity', '完全性'],
        ['/exports', 'エクスポート'],
        ['/legal-holds', 'リーガルホールドと消去'],
        ['/insights', '分析'],
      ],
    };
    for (const [email, paths] of Object.entries(pages)) {
      const page = await personPage(browser, email);
      // This browser only (the cookie): their own language stays English for the other tests.
      await page.context().addCookies([{ name: 'retract_locale', value: 'ja', url: new URL(page.url()).origin }]);
      for (const [path, heading] of paths) {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
        await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
        // A person's name in a narrow column may wrap at its space like any text; a Japanese label must not break.
        const wrapped = (await wrappedButtons(page)).filter((label) => CJK.test(label));
        expect({ path, wrapped }).toEqual({ path, wrapped: [] });
      }
      await page.context().close();
    }
  });
});
