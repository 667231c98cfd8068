import { expect, test, type Page } from '@playwright/test';
import { signInAs, wrappedButtons } from './helpers';

/**
 * Chinese breaks a line between any two characters, so a button squeezed by its neighbours (a
 * search box, the composer) would stack its label one character per line (搜/索, 发/送). Every
 * button keeps its label on one line.
 */

async function inChinese(page: Page, email: string) {
  await signInAs(page, email);
  await page.context().addCookies([{ name: 'retract_locale', value: 'zh-CN', url: new URL(page.url()).origin }]);
}

test.describe('zh-CN: buttons keep their label on one line', () => {
  test('the Messages page (发送)', async ({ page }) => {
    await inChinese(page, 'alice@acme.test');
    await page.goto('/messages');
    await expect(page.getByTestId('send')).toHaveText('发送');
    await page.getByRole('textbox', { name: '消息' }).fill('你好');
    expect(await wrappedButtons(page)).toEqual([]);
  });

  test('the Users page (搜索)', async ({ page }) => {
    await inChinese(page, 'admin@acme.test');
    await page.goto('/users');
    await expect(page.getByRole('search').getByRole('button')).toHaveText('搜索');
    expect(await wrappedButtons(page)).toEqual([]);
  });

  test('the policy page', async ({ page }) => {
    await inChinese(page, 'admin@acme.test');
    await page.goto('/policy');
    await expect(page.getByTestId('policy-save')).toBeVisible();
    expect(await wrappedButtons(page)).toEqual([]);
  });
});
