import { expect, test } from '@playwright/test';
import { navLabels, signIn, signOut, snapshot } from './helpers';

test.describe('signing in and out', () => {
  test('an admin signs in, sees the admin navigation, and signs out', async ({ page }, testInfo) => {
    await page.goto('/');
    // Signed out: straight to the login page, no console content on the way.
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await snapshot(page, testInfo, 'login');

    await signIn(page, 'admin@acme.test');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('user-name')).toContainText('Admin');
    await expect(page.getByTestId('user-roles')).toContainText('Administrator');
    await expect(page.getByTestId('profile')).toContainText('admin@acme.test');

    const nav = await navLabels(page);
    expect(nav).toEqual(expect.arrayContaining(['Home', 'Policy', 'Users', 'Webhooks', 'Insights']));
    expect(nav).not.toContain('Audit log');
    expect(nav).not.toContain('Messages');
    await snapshot(page, testInfo, 'admin-home');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Policy' }).click();
    await expect(page).toHaveURL(/\/policy$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Policy' })).toBeVisible();
    await snapshot(page, testInfo, 'admin-policy');

    await signOut(page);
    await snapshot(page, testInfo, 'signed-out');
    // The session is gone: the console sends us back to the login page.
    await page.goto('/users');
    await expect(page).toHaveURL(/\/login\?next=%2Fusers$/);
  });

  test('a wrong password is reported in words', async ({ page }, testInfo) => {
    await page.goto('/login');
    await signIn(page, 'admin@acme.test', 'not-the-password');
    const alert = page.getByTestId('login-alert');
    await expect(alert).toContainText('The organisation, email or password is not correct');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByLabel('Password')).toHaveValue('');
    await expect(page.getByLabel('Password')).toBeFocused();
    await snapshot(page, testInfo, 'login-wrong-password');
  });

  test('missing fields are named next to the fields', async ({ page }, testInfo) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-tenant-error')).toHaveText('Enter your organisation.');
    await expect(page.getByTestId('login-email-error')).toHaveText('Enter your email.');
    await expect(page.getByTestId('login-password-error')).toHaveText('Enter your password.');
    await expect(page.getByLabel('Organisation')).toBeFocused();
    await expect(page.getByLabel('Organisation')).toHaveAttribute('aria-invalid', 'true');
    await snapshot(page, testInfo, 'login-field-errors');
  });
});

test.describe('navigation follows roles', () => {
  test('an employee sees Messages but not the audit log, and /audit redirects away', async ({ page }, testInfo) => {
    // A deep link survives the detour through the login page.
    await page.goto('/messages');
    await expect(page).toHaveURL(/\/login\?next=%2Fmessages$/);
    await signIn(page, 'alice@acme.test');
    await expect(page).toHaveURL(/\/messages$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();

    const nav = await navLabels(page);
    expect(nav).toEqual(['Home', 'Messages']);
    await snapshot(page, testInfo, 'employee-messages');

    await page.goto('/audit');
    await expect(page).not.toHaveURL(/\/audit/);
    await expect(page).toHaveURL(/\/\?denied=audit$/);
    await expect(page.getByTestId('access-denied')).toContainText('You do not have access to Audit log');
    await snapshot(page, testInfo, 'employee-audit-denied');

    await signOut(page);
  });

  test('compliance staff see the audit sections but not policy', async ({ page }, testInfo) => {
    await page.goto('/login');
    await signIn(page, 'compliance@acme.test');
    await expect(page).toHaveURL(/\/$/);
    const nav = await navLabels(page);
    expect(nav).toEqual(expect.arrayContaining(['Audit log', 'Integrity', 'Exports', 'Legal holds', 'Insights']));
    expect(nav).not.toContain('Policy');
    expect(nav).not.toContain('Users');
    await page.goto('/policy');
    await expect(page).toHaveURL(/\/\?denied=policy$/);
    await snapshot(page, testInfo, 'compliance-home');
    await signOut(page);
  });

  test('the language switcher shows the console in Simplified Chinese', async ({ page }, testInfo) => {
    await page.goto('/login');
    await signIn(page, 'bob@acme.test');
    await expect(page).toHaveURL(/\/$/);
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('navigation', { name: '功能导航' }).getByRole('link', { name: '消息' })).toBeVisible();
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
    await snapshot(page, testInfo, 'employee-home-zh-CN');

    // The choice is a cookie: it also applies to the login page after signing out.
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    await page.getByLabel('语言').selectOption('en');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

    // This browser keeps what was picked on the login page; bob's own language is the one he picked signed in.
    await signIn(page, 'bob@acme.test');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    expect((await (await page.request.get('/api/v1/me')).json()).locale).toBe('zh-CN');
    // The demo people are shared by every browser test: bob speaks English again.
    const reset = await page.request.patch('/api/v1/me', { headers: { 'sec-fetch-site': 'same-origin' }, data: { locale: 'en' } });
    expect(reset.status()).toBe(200);
  });
});
