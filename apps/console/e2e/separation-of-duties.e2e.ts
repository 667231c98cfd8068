import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, signIn, signInAs, signOut, snapshot } from './helpers';

/** What a browser says on the console's own calls to its /api (Fetch Metadata); Playwright's request context sends none. */
const fromConsole = { headers: { 'sec-fetch-site': 'same-origin' } };

async function createUser(page: Page, local: string, roles: string[]): Promise<{ id: string; email: string; name: string }> {
  const email = `${local}-${Date.now().toString(36)}@acme.test`;
  const name = `${local} ${Date.now().toString(36)}`;
  const res = await page.request.post('/api/v1/users', { ...fromConsole, data: { email, displayName: name, roles, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(201);
  return { id: ((await res.json()) as { id: string }).id, email, name };
}

test.describe('separation of duties in the console', () => {
  test('a COMPLIANCE grant waits on the users page until a compliance officer approves it on the home page', async ({ page }, testInfo) => {
    await signInAs(page, 'admin@acme.test');
    const grantee = await createUser(page, 'grantee', ['EMPLOYEE', 'COMPLIANCE']);
    await page.goto('/users');
    const waiting = page.getByTestId('role-grants').getByTestId('role-grant-row').filter({ hasText: grantee.name });
    await expect(waiting).toContainText('Awaiting compliance approval');
    await expect(waiting.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await snapshot(page, testInfo, 'admin-sees-pending-grant');
    await signOut(page);

    await signIn(page, 'compliance@acme.test');
    await expect(page).not.toHaveURL(/\/login/);
    const row = page.getByTestId('role-grants').getByTestId('role-grant-row').filter({ hasText: grantee.name });
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByTestId('role-grants')).toContainText(`${grantee.name} is now a compliance officer.`);
    await expect(row).toHaveCount(0);
    await snapshot(page, testInfo, 'compliance-approved-grant');
  });

  test('after an administrator resets a password, the user chooses a new one before anything else', async ({ page }, testInfo) => {
    await signInAs(page, 'admin@acme.test');
    const person = await createUser(page, 'reset', ['EMPLOYEE']);
    const reset = await page.request.patch(`/api/v1/users/${person.id}`, { ...fromConsole, data: { password: 'known-to-the-admin-1' } });
    expect(reset.status()).toBe(200);
    await signOut(page);

    await signIn(page, person.email, 'known-to-the-admin-1');
    await expect(page).toHaveURL(/\/change-password/);
    await page.goto('/messages');
    await expect(page).toHaveURL(/\/change-password/);
    await snapshot(page, testInfo, 'change-password-required');
    await page.getByTestId('change-password-current').fill('known-to-the-admin-1');
    await page.getByTestId('change-password-next').fill('only-i-know-this-one');
    await page.getByTestId('change-password-confirm').fill('only-i-know-this-one');
    await page.getByTestId('change-password-submit').click();
    await expect(page).toHaveURL(/\/messages$/);
  });
});
