import { expect, test } from '@playwright/test';
import { signInAs, snapshot } from './helpers';

const fromConsole = { headers: { 'sec-fetch-site': 'same-origin' } };

/** The home page shows each role its day at a glance, each figure linking to the section behind it. */
test.describe('home page at a glance', () => {
  test('an administrator sees the recall window in force and its last change, grants waiting, failing webhooks', async ({ page }, testInfo) => {
    await signInAs(page, 'admin@acme.test');
    const glance = page.getByTestId('glance-admin');
    await expect(glance.getByRole('heading', { name: 'Your organisation at a glance' })).toBeVisible();
    await expect(page.getByTestId('glance-window-value')).toHaveText(/^\d+ (seconds?|minutes?|hours?)( \d+ \w+)*$|^Recall is off$/);
    await expect(page.getByTestId('glance-window')).toContainText(/Version \d+, changed \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} UTC by /);
    await expect(page.getByTestId('glance-grants-value')).toHaveText(/^\d+$/);
    await expect(page.getByTestId('glance-webhooks-value')).toHaveText(/^\d+$/);
    await expect(page.getByTestId('glance-compliance')).toHaveCount(0);
    await expect(page.getByTestId('glance-conversations')).toHaveCount(0);
    await snapshot(page, testInfo, 'home-admin');
    await page.getByTestId('glance-window').click();
    await expect(page).toHaveURL(/\/policy$/);
  });

  test('a compliance officer sees today’s recalls and refusals, the newest checkpoint verified, and active holds', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    // A checkpoint of the log as it is now, so the tile has one to verify whatever the background signer did.
    expect((await page.request.post('/api/v1/audit/checkpoints', fromConsole)).status()).toBeLessThan(300);
    await page.reload();
    await expect(page.getByTestId('glance-compliance').getByRole('heading', { name: 'Compliance at a glance' })).toBeVisible();
    // The same counts as Insights for today (UTC); the demo seeds recalls and a refusal at the time it runs.
    const now = new Date();
    const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
    const insights = await page.request.get(
      `/api/v1/insights/recalls?from=${encodeURIComponent(midnight)}&to=${encodeURIComponent(now.toISOString())}&bucket=hour`,
    );
    const today = (await insights.json()).totals as { recalled: number; forced: number; denied: number };
    await expect(page.getByTestId('glance-recalls-today-value')).toHaveText(String(today.recalled));
    await expect(page.getByTestId('glance-refusals-today-value')).toHaveText(String(today.denied));
    await expect(page.getByTestId('glance-recalls-today')).toContainText(`${today.forced} forced by compliance`);
    await expect(page.getByTestId('glance-checkpoint-value')).toHaveText('Verified');
    await expect(page.getByTestId('glance-checkpoint')).toContainText(/\d+ entries, signed .* UTC/);
    await expect(page.getByTestId('glance-holds-value')).toHaveText(/^\d+$/);
    await expect(page.getByTestId('glance-admin')).toHaveCount(0);
    await snapshot(page, testInfo, 'home-compliance');
    await page.getByTestId('glance-checkpoint').click();
    await expect(page).toHaveURL(/\/integrity$/);
  });

  test('an employee sees their conversations and opens one from there', async ({ page }, testInfo) => {
    await signInAs(page, 'alice@acme.test');
    const list = page.getByTestId('glance-conversations');
    await expect(list.getByRole('heading', { name: 'Your conversations' })).toBeVisible();
    await expect(list.getByTestId('glance-conversation').filter({ hasText: 'Launch' })).toBeVisible();
    await expect(list.getByTestId('glance-conversation').filter({ hasText: 'Bob Brown' }).filter({ hasText: 'Direct' })).toBeVisible();
    await expect(list).toContainText(/Recall window here: /);
    await expect(page.getByTestId('glance-admin')).toHaveCount(0);
    await expect(page.getByTestId('glance-compliance')).toHaveCount(0);
    await snapshot(page, testInfo, 'home-employee');
    await list.getByTestId('glance-conversation').filter({ hasText: 'Launch' }).click();
    await expect(page).toHaveURL(/\/messages\?c=[0-9a-f-]{36}$/);
    await expect(page.locator('#conversation-title')).toHaveText('Launch');
  });
});
