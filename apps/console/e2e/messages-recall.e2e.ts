import { expect, test, type Browser, type Page } from '@playwright/test';
import { signInAs, snapshot } from './helpers';

/**
 * Recalling from the Messages page as an employee sees it: the countdown on their message, the
 * reach of a recall updating while they watch, and a confirmation before a recall that needs a
 * reason or takes back several messages at once.
 */

async function openDirect(browser: Browser, email: string, peer: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email);
  await page.goto('/messages');
  await page.getByTestId('conversation-link').filter({ hasText: peer }).filter({ hasText: 'Direct' }).click();
  await expect(page.locator('#conversation-title')).toHaveText(peer);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  return page;
}

async function send(page: Page, text: string): Promise<string> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByTestId('send').click();
  const own = page.getByTestId('message').filter({ hasText: text });
  await expect(own).toHaveAttribute('data-message-id', /.+/);
  return (await own.getAttribute('data-message-id'))!;
}

/** Seconds in a countdown's "m:ss" or "h:mm:ss". */
const seconds = (text: string) =>
  text
    .match(/(\d+(?::\d{2}){1,2})/)![1]
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);

/** Sets the organisation's reason rule through the policy form ('Never required' / 'Always required'). */
async function setReasonRule(browser: Browser, mode: 'Never required' | 'Always required') {
  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, 'admin@acme.test');
  await admin.goto('/policy');
  const select = admin.getByLabel('Reason for a recall', { exact: true });
  if ((await select.locator('option:checked').innerText()) !== mode) {
    await select.selectOption({ label: mode });
    await admin.getByTestId('policy-save').click();
    await expect(admin.getByTestId('policy-saved')).toBeVisible();
  }
  await admin.context().close();
}

test.describe('messages: recall as the sender sees it', () => {
  test('the time left to recall counts down on the message', async ({ browser }) => {
    const alice = await openDirect(browser, 'alice@acme.test', 'Bob Brown');
    const id = await send(alice, `countdown ${Date.now()}`);
    const recall = alice.locator(`[data-message-id="${id}"]`).getByTestId('recall');
    await expect(recall).toContainText(/\d+:\d{2} left to recall/);
    const first = seconds(await recall.innerText());
    await expect.poll(async () => seconds(await recall.innerText()), { timeout: 5_000 }).toBeLessThanOrEqual(first - 2);
    await alice.context().close();
  });

  test('"Removed for 0 of 1 recipients" becomes "1 of 1" live when the recipient’s open page drops the message', async ({ browser }) => {
    test.setTimeout(60_000);
    const alice = await openDirect(browser, 'alice@acme.test', 'Bob Brown');
    const bob = await openDirect(browser, 'bob@acme.test', 'Alice Anders');
    // Bob's device takes a moment to report that it applied the recall: alice has long read the message by then.
    await bob.route(/\/api\/v1\/messages\/[0-9a-f-]{36}\/receipts$/, async (route) => {
      if (route.request().postData()?.includes('RECALL_APPLIED')) await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await alice.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const text = `reach ${Date.now()}`;
    const id = await send(alice, text);
    await expect(bob.locator(`[data-message-id="${id}"]`)).toContainText(text);
    await alice.locator(`[data-message-id="${id}"]`).getByTestId('recall').click();
    const line = alice.locator(`[data-message-id="${id}"]`);
    await expect(line).toHaveAttribute('data-state', 'RECALLED');
    await expect(line).toContainText('Removed for 0 of 1 recipients');
    await expect(bob.locator(`[data-message-id="${id}"]`)).toHaveAttribute('data-state', 'RECALLED');
    await expect(line).toContainText('Removed for 1 of 1 recipients', { timeout: 8_000 });
    expect(await alice.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await alice.context().close();
    await bob.context().close();
  });

  test('recalling several messages asks first, then recalls them together', async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    const alice = await openDirect(browser, 'alice@acme.test', 'Bob Brown');
    const bob = await openDirect(browser, 'bob@acme.test', 'Alice Anders');
    const run = Date.now();
    const ids = [await send(alice, `batch one ${run}`), await send(alice, `batch two ${run}`)];
    for (const id of ids) await alice.locator(`[data-message-id="${id}"]`).getByRole('checkbox', { name: 'Select for recall' }).check();
    const selection = alice.getByTestId('recall-selection');
    await expect(selection).toContainText('2 selected');
    await snapshot(alice, testInfo, 'batch-selected');

    // Asking first: cancelling recalls nothing.
    await selection.getByRole('button', { name: 'Recall selected (2)' }).click();
    const confirm = alice.getByTestId('recall-confirm');
    await expect(confirm).toContainText('Recall 2 messages?');
    await snapshot(alice, testInfo, 'batch-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    for (const id of ids) await expect(alice.locator(`[data-message-id="${id}"]`)).not.toHaveAttribute('data-state', 'RECALLED');

    await selection.getByRole('button', { name: 'Recall selected (2)' }).click();
    await alice.getByTestId('recall-confirm').getByRole('button', { name: 'Recall 2 messages' }).click();
    for (const id of ids) {
      await expect(alice.locator(`[data-message-id="${id}"]`)).toHaveAttribute('data-state', 'RECALLED');
      await expect(bob.locator(`[data-message-id="${id}"]`)).toHaveAttribute('data-state', 'RECALLED');
    }
    await expect(alice.getByTestId('recall-selection')).toHaveCount(0);
    await alice.context().close();
    await bob.context().close();
  });

  test('when the policy requires a reason, a recall asks for it before it happens, one message or several', async ({ browser }) => {
    test.setTimeout(90_000);
    await setReasonRule(browser, 'Always required');
    try {
      const alice = await openDirect(browser, 'alice@acme.test', 'Bob Brown');
      const run = Date.now();
      const single = await send(alice, `reason single ${run}`);
      const item = alice.locator(`[data-message-id="${single}"]`);
      await item.getByTestId('recall').click();
      await expect(item.getByText('A reason is required for this recall.')).toBeVisible();
      await expect(item).not.toHaveAttribute('data-state', 'RECALLED');
      await item.getByRole('textbox', { name: 'Reason for the recall' }).fill('Sent to the wrong person');
      await item.getByRole('button', { name: 'Recall message' }).click();
      await expect(item).toHaveAttribute('data-state', 'RECALLED');

      const ids = [await send(alice, `reason batch one ${run}`), await send(alice, `reason batch two ${run}`)];
      for (const id of ids) await alice.locator(`[data-message-id="${id}"]`).getByRole('checkbox', { name: 'Select for recall' }).check();
      await alice.getByTestId('recall-selection').getByRole('button', { name: 'Recall selected (2)' }).click();
      const confirm = alice.getByTestId('recall-confirm');
      await confirm.getByRole('button', { name: 'Recall 2 messages' }).click();
      await expect(confirm.getByText('A reason is required for this recall.')).toHaveClass(/field__error/);
      await confirm.getByRole('textbox', { name: 'Reason for the recall' }).fill('Wrong numbers');
      await confirm.getByRole('button', { name: 'Recall 2 messages' }).click();
      for (const id of ids) await expect(alice.locator(`[data-message-id="${id}"]`)).toHaveAttribute('data-state', 'RECALLED');
      await alice.context().close();
    } finally {
      await setReasonRule(browser, 'Never required');
    }
  });
});
