import { expect, type Page, type TestInfo } from '@playwright/test';

/** Demo data seeded by the API on an empty database (DESIGN §7). */
export const DEMO_TENANT = 'acme';
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'retract-demo';

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, tenant = DEMO_TENANT) {
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await page.getByLabel('Organisation').fill(tenant);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** The left navigation's link names, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await expect(nav).toBeVisible();
  return (await nav.getByRole('link').allInnerTexts()).map((s) => s.trim());
}

/**
 * Saves a full-page screenshot as test-results/<test>/<name>.png and attaches it to the report,
 * so every page visited is kept as an artifact whether the test passes or fails.
 */
export async function snapshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Opens the login page and signs in; resolves once the console has loaded. */
export async function signInAs(page: Page, email: string, tenant = DEMO_TENANT) {
  await page.goto('/login');
  await signIn(page, email, DEMO_PASSWORD, tenant);
  await expect(page).not.toHaveURL(/\/login/);
}

/**
 * The visible buttons whose label runs over more than one line, by their text. Chinese and
 * Japanese break a line between any two characters, so a squeezed button would stack its label
 * one character per line.
 */
export function wrappedButtons(page: Page): Promise<string[]> {
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
