import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TENANT, signInAs, snapshot } from './helpers';

/**
 * The browser session (docs/architecture.md, "Browser sessions"): a __Host-, Secure, httpOnly,
 * SameSite=Strict cookie, which browsers keep over plain http on 127.0.0.1 and localhost (secure
 * contexts), and which a request started by another site does not carry.
 */
test.describe('browser session cookie', () => {
  const consoleUrl = new URL(process.env.CONSOLE_URL ?? 'http://127.0.0.1:3000');
  /** The same console under the other loopback name: to the browser another site. */
  const otherName = (path: string) => `${consoleUrl.protocol}//${consoleUrl.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${consoleUrl.port}${path}`;

  test('is __Host-, Secure, httpOnly and SameSite=Strict, and the page never sees a token', async ({ page, context }, testInfo) => {
    const loginBodies: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/auth/login')) loginBodies.push(request.postDataJSON());
    });
    await signInAs(page, 'compliance@acme.test');
    expect(loginBodies).toEqual([expect.objectContaining({ session: 'cookie' })]);
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === '__Host-retract_session');
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookies.map((cookie) => cookie.name)).not.toContain('retract_session');
    expect(await page.evaluate(() => document.cookie)).not.toContain('retract_session');
    // What a script of the page would get from a cookie login: the user, never the token.
    const answer = await page.evaluate(
      async ({ tenant, password }) => {
        const res = await fetch('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tenant, email: 'compliance@acme.test', password, session: 'cookie' }),
        });
        return { status: res.status, body: await res.text() };
      },
      { tenant: DEMO_TENANT, password: DEMO_PASSWORD },
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).not.toHaveProperty('accessToken');
    expect(JSON.parse(answer.body).user.email).toBe('compliance@acme.test');
    await snapshot(page, testInfo, 'signed-in');
  });

  test('works on http://localhost as on http://127.0.0.1', async ({ page, context }) => {
    await page.goto(otherName('/login'));
    await page.getByLabel('Organisation').fill(DEMO_TENANT);
    await page.getByLabel('Email').fill('compliance@acme.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(otherName('/'));
    await expect(page.getByTestId('user-name')).toBeVisible();
    const session = (await context.cookies(otherName('/'))).find((cookie) => cookie.name === '__Host-retract_session');
    expect(session?.secure).toBe(true);
  });

  test('is not sent with a link followed from another site', async ({ page }) => {
    await signInAs(page, 'compliance@acme.test');
    // Same site: the console's own API answers with the session.
    const me = await page.request.get('/api/v1/me');
    expect(me.status()).toBe(200);
    // A page of another site links to an audit entry: the browser leaves the cookie behind.
    await page.goto(otherName('/login'));
    const target = `${consoleUrl.origin}/api/v1/audit/1`;
    await page.evaluate((href) => {
      const link = document.createElement('a');
      link.href = href;
      link.textContent = 'open the evidence';
      document.body.append(link);
    }, target);
    const [answer] = await Promise.all([page.waitForResponse(target), page.getByText('open the evidence').click()]);
    expect(answer.status()).toBe(401);
  });
});
