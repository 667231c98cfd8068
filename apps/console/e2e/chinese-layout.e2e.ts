import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers';

/**
 * Chinese breaks a line between any two characters, so a button squeezed by its neighbours (a
 * search box, the composer) would stack its label one character per line (搜/索, 发/送). Every
 * button keeps its label on one line.
 */

async function inChinese(page: Page, email: string) {
  await signInAs(page, email);
  await page.context().addCookies([{ name: 'retract_locale', value: 'zh-CN', url: new URL(page.url()).origin }]);
}

/** The visible buttons whose label runs over more than one line, by their text. */
function wrappedButtons(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const wrapped: string[] = [];
    for (const button of document.querySelectorAll<HTMLElement>('button, a.button')) {
      if (!button.checkVisibility() || !button.innerText.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(button);
      const tops = new Set([...range.getClientRects()].filter((rect) => rect.width > 0).map((rect) => Math.round(rect.top)));
      // One line may hold spans whose boxes start a pixel or two apart.
      const lines = [...tops].sort((a, b) => a - b).filter((top, i, all) => i === 0 || top - all[i - 1] > 4);
      if (lines.length > 1) wrapped.push(button.innerText.replace(/\s+/g, ' '));
    }
    return wrapped;
  });
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
