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
  test('a COMPLIANCE grant waits on the users page, and a compliance officer approves it on the home page once the grantee chose their own password', async ({
    page,
  }, testInfo) => {
    await signInAs(page, 'admin@acme.test');
    const grantee = await createUser(page, 'grantee', ['EMPLOYEE']);
    await page.goto(`/users?q=${encodeURIComponent(grantee.email)}`);
    const person = page.getByTestId('user-row').filter({ hasText: grantee.name });
    await expect(person.getByTestId('password-not-chosen')).toHaveText('Password not yet chosen');
    await person.getByRole('button', { name: `Edit ${grantee.name}` }).click();
    await page
      .getByTestId('edit-user-form')
      .getByRole('checkbox', { name: /^Compliance/ })
      .check();
    await page.getByTestId('edit-user-form').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('users-notice')).toContainText('Compliance: awaiting a compliance officer’s approval.');
    await expect(person.getByTestId('pending-role')).toHaveText('Compliance: awaiting approval');
    const waiting = page.getByTestId('role-grants').getByTestId('role-grant-row').filter({ hasText: grantee.name });
    await expect(waiting).toContainText('Awaiting compliance approval');
    await expect(waiting.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await snapshot(page, testInfo, 'admin-sees-pending-grant');
    await signOut(page);

    // The grantee still signs in with the administrator's password: the approver sees it and cannot approve yet.
    await signIn(page, 'compliance@acme.test');
    await expect(page).not.toHaveURL(/\/login/);
    const row = page.getByTestId('role-grants').getByTestId('role-grant-row').filter({ hasText: grantee.name });
    await expect(row.getByTestId('grantee-admin-password')).toHaveText('Still signs in with the password an administrator set');
    await expect(row.getByRole('button', { name: 'Approve' })).toBeDisabled();
    await expect(row.getByRole('button', { name: 'Refuse' })).toBeEnabled();
    await snapshot(page, testInfo, 'approval-waits-for-own-password');
    const early = await page.request.get('/api/v1/role-grants', fromConsole);
    const grantId = ((await early.json()) as { items: { id: string; user: { id: string } }[] }).items.find((grant) => grant.user.id === grantee.id)!.id;
    const refused = await page.request.post(`/api/v1/role-grants/${grantId}/approve`, fromConsole);
    expect(refused.status()).toBe(409);
    await signOut(page);

    await signIn(page, grantee.email);
    await expect(page).toHaveURL(/\/change-password/);
    await page.getByTestId('change-password-current').fill(DEMO_PASSWORD);
    await page.getByTestId('change-password-next').fill('the-grantee-chose-this');
    await page.getByTestId('change-password-confirm').fill('the-grantee-chose-this');
    await page.getByTestId('change-password-submit').click();
    await expect(page).not.toHaveURL(/\/change-password/);
    await signOut(page);

    await signIn(page, 'compliance@acme.test');
    await expect(page).not.toHaveURL(/\/login/);
    await expect(row.getByTestId('grantee-admin-password')).toHaveCount(0);
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
