import { expect, test, type Browser, type Page } from '@playwright/test';
import { signInAs, snapshot } from './helpers';

async function openLaunch(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  await page.goto('/messages');
  await page.getByTestId('conversation-link').filter({ hasText: 'Launch' }).click();
  await expect(page).toHaveURL(/\/messages\?c=/);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  return page;
}

test.describe('messages: live recall between two people', () => {
  test('alice recalls and bob’s open page shows the notice without a reload', async ({ browser }, testInfo) => {
    // Two signed-in browsers and a round trip through the event stream.
    test.setTimeout(90_000);
    const alice = await openLaunch(browser, 'alice@acme.test');
    const bob = await openLaunch(browser, 'bob@acme.test');
    // A marker that a reload would wipe.
    await bob.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const text = `Quarterly numbers draft ${Date.now()}`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(text);
    await alice.getByTestId('send').click();
    const sent = alice.getByTestId('message').filter({ hasText: text });
    await expect(sent).toBeVisible();
    const id = await sent.getAttribute('data-message-id');

    // Bob gets it live.
    await expect(bob.locator(`[data-message-id="${id}"]`)).toContainText(text, { timeout: 10_000 });
    await snapshot(bob, testInfo, 'bob-before-recall');

    // Alice sees the countdown of the window, then recalls.
    await expect(sent.getByTestId('recall')).toContainText(/left to recall/);
    await snapshot(alice, testInfo, 'alice-before-recall');
    await sent.getByTestId('recall').click();
    await expect(alice.locator(`[data-message-id="${id}"]`)).toHaveAttribute('data-state', 'RECALLED');
    await expect(alice.locator(`[data-message-id="${id}"]`).getByTestId('recall-notice')).toHaveText('You recalled a message');

    // Bob's page replaces the message with the notice, live.
    const onBob = bob.locator(`[data-message-id="${id}"]`);
    await expect(onBob).toHaveAttribute('data-state', 'RECALLED', { timeout: 10_000 });
    await expect(onBob.getByTestId('recall-notice')).toHaveText('Alice Anders recalled a message');
    await expect(bob.getByText(text)).toHaveCount(0);
    expect(await bob.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await snapshot(bob, testInfo, 'bob-after-recall');

    // The re-edit draft: alice edits and sends again; bob receives the new message live.
    await alice.locator(`[data-message-id="${id}"]`).getByTestId('re-edit').click();
    await expect(alice.getByTestId('re-edit-banner')).toContainText('Re-editing your recalled message');
    await expect(alice.getByRole('textbox', { name: 'Message' })).toHaveValue(text);
    await alice.getByRole('textbox', { name: 'Message' }).fill(`${text} (corrected)`);
    await alice.getByTestId('send').click();
    await expect(bob.getByTestId('message').filter({ hasText: `${text} (corrected)` })).toBeVisible({ timeout: 10_000 });
    await snapshot(alice, testInfo, 'alice-after-re-edit');

    // Delete for me hides a message only for bob.
    const corrected = bob.getByTestId('message').filter({ hasText: `${text} (corrected)` });
    await corrected.getByRole('button', { name: 'Delete for me' }).click();
    await expect(corrected).toHaveCount(0);
    await expect(alice.getByTestId('message').filter({ hasText: `${text} (corrected)` })).toBeVisible();

    await alice.context().close();
    await bob.context().close();
  });
});
