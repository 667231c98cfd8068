import { expect, test } from '@playwright/test';
import { signInAs, snapshot } from './helpers';

test.describe('admin: recall policy', () => {
  test('changes the window, previews it, saves, and sees the new version in the history', async ({ page }, testInfo) => {
    await signInAs(page, 'admin@acme.test');
    await page.goto('/policy');
    await expect(page.getByRole('heading', { level: 1, name: 'Recall policy' })).toBeVisible();
    const before = Number((await page.getByTestId('policy-version').innerText()).match(/Version (\d+)/)![1]);
    await snapshot(page, testInfo, 'policy');

    // Live validation: past 24 hours is refused before anything is sent. A change of unit converts
    // the number (2 minutes stay 2 minutes), so the unit is chosen before the number is typed.
    const window = page.getByRole('spinbutton', { name: 'Recall window' });
    await page.getByLabel('Unit of Recall window').selectOption('hours');
    await window.fill('25');
    await expect(page.getByTestId('policy-defaults')).toContainText('Must be between 0 and 24 hours.');
    await expect(page.getByTestId('policy-save')).toBeDisabled();

    await page.getByLabel('Unit of Recall window').selectOption('minutes');
    await window.fill('15');
    await expect(page.getByTestId('policy-defaults')).toContainText('= 15 minutes');

    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('simulation-result')).toContainText(/recall attempts in the last 30 days/);
    await snapshot(page, testInfo, 'policy-preview');

    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-saved')).toHaveText(`Saved as version ${before + 1}.`);
    const newest = page.getByTestId('policy-version-item').first();
    await expect(newest).toHaveAttribute('data-version', String(before + 1));
    await expect(newest).toContainText('Ada Admin');
    await expect(newest).toContainText(/Recall window .+ → 15 minutes/);
    await snapshot(page, testInfo, 'policy-history');
  });

  test('a stale save is refused in words', async ({ browser }) => {
    const first = await (await browser.newContext()).newPage();
    const second = await (await browser.newContext()).newPage();
    await signInAs(first, 'admin@acme.test');
    await signInAs(second, 'admin@acme.test');
    await first.goto('/policy');
    await second.goto('/policy');
    await first.getByRole('spinbutton', { name: 'Grace for requests in flight' }).fill('7');
    await first.getByTestId('policy-save').click();
    await expect(first.getByTestId('policy-saved')).toBeVisible();
    await second.getByRole('spinbutton', { name: 'Grace for requests in flight' }).fill('9');
    await second.getByTestId('policy-save').click();
    await expect(second.getByTestId('policy-conflict')).toContainText('Someone else saved version');
    await first.context().close();
    await second.context().close();
  });

  test('users, webhooks and insights pages', async ({ page }, testInfo) => {
    await signInAs(page, 'admin@acme.test');
    await page.goto('/users');
    await expect(page.getByTestId('users-table')).toContainText('alice@acme.test');
    await page.getByRole('button', { name: 'Edit Ada Admin' }).click();
    const form = page.getByTestId('edit-user-form');
    // One's own roles are another administrator's to change: not offered.
    await expect(form.getByTestId('own-roles')).toBeVisible();
    await expect(form.getByLabel('Administrator')).toHaveCount(0);
    await form.getByLabel('Account active (can sign in)').uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('last-admin')).toContainText('at least one active administrator');
    await snapshot(page, testInfo, 'users');

    await page.goto('/users?q=bob');
    await expect(page.getByTestId('user-row')).toHaveCount(1);

    await page.goto('/webhooks');
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
    await snapshot(page, testInfo, 'webhooks');

    await page.goto('/insights?range=7&bucket=day');
    await expect(page.getByTestId('insights')).toBeVisible();
    await expect(page.getByTestId('total-recalled')).not.toHaveText('0');
    await snapshot(page, testInfo, 'insights');
  });
});
