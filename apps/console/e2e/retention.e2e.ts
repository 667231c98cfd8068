import { expect, test } from '@playwright/test';
import { signOut, signInAs, snapshot } from './helpers';

test.describe('audit retention in the console', () => {
  test('a compliance officer proposes a shorter retention; administrators see it waiting with its date; a compliance officer cancels it', async ({
    page,
  }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/legal-holds');
    const panel = page.getByTestId('retention-panel');
    await expect(panel.getByTestId('retention-in-force')).toContainText('2555 days');
    await panel.getByLabel('New retention (days)').fill('400');
    await panel.getByRole('button', { name: 'Change retention' }).click();
    await expect(panel.getByTestId('retention-pending')).toContainText('Shortening to 400 days (from 2555)');
    await expect(panel.getByTestId('retention-in-force')).toContainText('2555 days');
    await signOut(page);

    await signInAs(page, 'admin@acme.test');
    await page.goto('/policy');
    const adminPanel = page.getByTestId('retention-panel');
    await expect(adminPanel.getByTestId('retention-pending')).toContainText('takes effect on');
    await expect(adminPanel.getByRole('button', { name: 'Cancel the shortening' })).toHaveCount(0);
    await expect(adminPanel).toContainText('Only compliance officers change it.');
    await snapshot(page, testInfo, 'admin-sees-pending-retention');
    await signOut(page);

    await signInAs(page, 'compliance@acme.test');
    await page.goto('/legal-holds');
    await page.getByTestId('retention-panel').getByRole('button', { name: 'Cancel the shortening' }).click();
    await expect(page.getByTestId('retention-panel')).toContainText('No shortening is waiting.');
  });
});
