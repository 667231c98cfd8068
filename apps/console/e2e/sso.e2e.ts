import { expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { navLabels, signIn, snapshot } from './helpers';

/**
 * Single sign-on end to end (docs/identity.md): a new organisation is created from the command
 * line, its administrator configures the organisation's OpenID provider in the console and tests
 * the connection, its people then sign in only through "Continue with …" (a real oidc-provider
 * started here, the API tests' own), are created on their first sign-in, are refused a password,
 * and signing out ends the provider's session too.
 */

const ROOT = join(__dirname, '..', '..', '..');
const CONSOLE_URL = process.env.CONSOLE_URL ?? 'http://127.0.0.1:3000';
const slug = `sso-${randomBytes(4).toString('hex')}`;
const domain = `${slug}.test`;
const ADMIN = { email: `admin@${domain}`, password: `admin password ${randomBytes(6).toString('hex')}` };
const OFFICER = { email: `officer@${domain}`, password: `officer password ${randomBytes(6).toString('hex')}` };
const NEWCOMER = { sub: `sub-${randomBytes(6).toString('hex')}`, email: `ada@${domain}`, name: 'Ada Newcomer' };
/** Provisioned by SCIM before her first sign-in. */
const PROVISIONED = { sub: `sub-${randomBytes(6).toString('hex')}`, email: `grace@${domain}`, name: 'Grace Provisioned' };
const PROVIDER_NAME = 'Test IdP';
/** The API itself: SCIM is served at its origin, the console forwards only /api (docs/identity.md). */
const API_URL = process.env.API_URL ?? 'http://127.0.0.1:3001';

interface RunningProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  child: ChildProcess;
}

/** The organisation, as an operator creates one (npm run tenant -- create). */
function createOrganisation() {
  const created = spawnSync(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(ROOT, 'tools/runtime/src/tenant-cli.ts'),
      'create',
      slug,
      '--name',
      `SSO ${slug}`,
      '--admin-email',
      ADMIN.email,
      '--admin-password',
      ADMIN.password,
      '--compliance-email',
      OFFICER.email,
      '--compliance-password',
      OFFICER.password,
    ],
    { cwd: ROOT, env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') }, encoding: 'utf8', timeout: 60_000 },
  );
  expect(created.stderr).toBe('');
  expect(created.status).toBe(0);
}

/** The provider in a process of its own (oidc-provider is ESM only), with the organisation's people as its accounts. */
async function startProvider(): Promise<RunningProvider> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'oidc-provider-main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEST_PROVIDER: JSON.stringify({
        redirectUri: `${CONSOLE_URL}/api/v1/auth/sso/callback`,
        postLogoutRedirectUri: `${CONSOLE_URL}/login`,
        accounts: [NEWCOMER, PROVISIONED],
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    createInterface({ input: child.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value as string]),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the test provider did not start in 30 s')), 30_000)),
  ])) as [string];
  return { ...(JSON.parse(line) as Omit<RunningProvider, 'child'>), child };
}

/** A SCIM client's request with the `scim` service account's token, as the provider's provisioning makes it. */
async function scim(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${API_URL}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json', ...(body ? { 'content-type': 'application/scim+json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

/** A service account with the `scim` scope, created by the organisation's administrator over the API. */
async function scimToken(): Promise<string> {
  const login = await fetch(`${API_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: slug, email: ADMIN.email, password: ADMIN.password }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const created = await fetch(`${API_URL}/api/v1/service-accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ name: 'Test IdP provisioning', scopes: ['scim'] }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { token: string }).token;
}

/** GET /api/v1/me as the page itself asks it (its cookies, its Fetch Metadata). */
const whoAmI = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch('/api/v1/me', { headers: { accept: 'application/json' } });
    return { status: res.status, body: res.ok ? ((await res.json()) as Record<string, unknown>) : null };
  });

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** The login page, the organisation typed: answers once the page knows how it signs in. */
async function chooseOrganisation(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Organisation').fill(slug);
}

test.describe.configure({ mode: 'serial' });

test.describe('single sign-on through the organisation’s provider', () => {
  let provider: RunningProvider;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    createOrganisation();
    provider = await startProvider();
  });
  test.afterAll(() => {
    provider?.child.kill('SIGTERM');
  });

  test('an administrator configures the provider in the console and tests the connection', async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    const admin = await newPage(browser);
    await admin.goto('/login');
    await signIn(admin, ADMIN.email, ADMIN.password, slug);
    await expect(admin).not.toHaveURL(/\/login/);
    expect(await navLabels(admin)).toContain('Single sign-on');
    await admin.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Single sign-on' }).click();
    await expect(admin.getByRole('heading', { level: 1, name: 'Single sign-on' })).toBeVisible();
    await expect(admin.getByText('No provider is configured yet')).toBeVisible();
    await expect(admin.getByTestId('sso-redirect-uri')).toHaveText(`${CONSOLE_URL}/api/v1/auth/sso/callback`);

    // An issuer the API may not reach is reported, not fetched.
    await admin.getByLabel('Issuer URL').fill('http://169.254.169.254/latest');
    await admin.getByRole('button', { name: 'Test connection' }).click();
    await expect(admin.getByTestId('sso-test-result')).toContainText('The provider cannot sign people in yet.');
    await expect(admin.getByTestId('sso-test-problem-text')).toContainText('link-local');

    await admin.getByLabel('Issuer URL').fill(provider.issuer);
    await admin.getByRole('button', { name: 'Test connection' }).click();
    await expect(admin.getByTestId('sso-test-result')).toContainText('The provider can sign people in.');
    await expect(admin.getByTestId('sso-test-end-session')).toHaveText(`${provider.issuer}/session/end`);
    await snapshot(admin, testInfo, 'sso-test-connection');

    // Nothing but the issuer: the form says what is missing and saves nothing.
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByText('Enter the client ID.')).toBeVisible();
    await expect(admin.getByText('Enter the client secret.')).toBeVisible();

    await admin.getByLabel('Name on the sign-in page').fill(PROVIDER_NAME);
    await admin.getByLabel('Client ID').fill(provider.clientId);
    await admin.getByLabel('Client secret').fill(provider.clientSecret);
    await admin.getByLabel('Allowed email domains').fill(domain);
    await admin.getByRole('checkbox', { name: 'People who are not administrators may still sign in with a password' }).uncheck();
    await admin.getByRole('button', { name: 'Add a group' }).click();
    await admin.getByLabel('Group', { exact: true }).fill('retract-admins');
    await admin.getByLabel('Role', { exact: true }).selectOption('ADMIN');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await expect(admin.getByTestId('sso-notice')).toHaveText('Single sign-on settings saved.');

    // The secret is write-only: after a reload the page says one is stored and shows nothing of it.
    await admin.reload();
    await expect(admin.getByText('A secret is stored and is never shown.')).toBeVisible();
    await expect(admin.getByTestId('sso-client-secret')).toHaveValue('');
    expect(await admin.content()).not.toContain(provider.clientSecret);
    await expect(admin.getByLabel('Group', { exact: true })).toHaveValue('retract-admins');
    await snapshot(admin, testInfo, 'sso-settings-saved');
  });

  test('a person signs in through “Continue with …”, is created as an employee, and signing out ends the provider session', async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    const page = await newPage(browser);
    await chooseOrganisation(page);
    const cont = page.getByRole('link', { name: `Continue with ${PROVIDER_NAME}` });
    await expect(cont).toBeVisible();
    // Passwords are for administrators only now: the form waits behind "Administrator?".
    await expect(page.getByLabel('Password')).toHaveCount(0);
    await snapshot(page, testInfo, 'login-with-sso');

    await cont.click();
    await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
    await expect(page.getByRole('heading', { name: 'Sign in to the test identity provider' })).toBeVisible();
    await page.getByLabel('Email').fill(NEWCOMER.email);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back in the console, signed in: the same session as a password sign-in.
    await expect(page).toHaveURL(`${CONSOLE_URL}/`);
    expect(await navLabels(page)).toEqual(['Home', 'Messages']);
    await expect(page.getByText(NEWCOMER.name).first()).toBeVisible();
    const me = await whoAmI(page);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: NEWCOMER.email, displayName: NEWCOMER.name, roles: ['EMPLOYEE'] });
    await snapshot(page, testInfo, 'signed-in-through-sso');

    // Signing out: the Retract session ends, then the provider's (RP-initiated logout), then the login page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/session/end`));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(page).toHaveURL(`${CONSOLE_URL}/login`);
    expect((await whoAmI(page)).status).toBe(401);

    // The provider's session is gone too: continuing asks for the provider login again.
    await chooseOrganisation(page);
    await page.getByRole('link', { name: `Continue with ${PROVIDER_NAME}` }).click();
    await expect(page.getByRole('heading', { name: 'Sign in to the test identity provider' })).toBeVisible();
  });

  test('people who are not administrators are refused a password; the administrator keeps one (break-glass)', async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    const page = await newPage(browser);
    await chooseOrganisation(page);
    await page.getByRole('button', { name: 'Administrator? Sign in with a password' }).click();
    await page.getByLabel('Email').fill(OFFICER.email);
    await page.getByLabel('Password').fill(OFFICER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-alert')).toContainText(
      `Your organisation signs in through its identity provider: use “Continue with ${PROVIDER_NAME}”.`,
    );
    await expect(page).toHaveURL(/\/login/);
    await snapshot(page, testInfo, 'password-refused');

    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login/);
    expect(await navLabels(page)).toContain('Single sign-on');
  });

  test('a person provisioned by SCIM signs in through the provider, and SCIM deactivation ends their console session', async ({ browser }, testInfo) => {
    test.setTimeout(60_000);
    const token = await scimToken();
    const created = await scim(token, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: PROVISIONED.email,
      externalId: 'idp-grace',
      name: { formatted: PROVISIONED.name },
      emails: [{ value: PROVISIONED.email, type: 'work', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    const scimId = String(created.body?.id);

    const page = await newPage(browser);
    await chooseOrganisation(page);
    await page.getByRole('link', { name: `Continue with ${PROVIDER_NAME}` }).click();
    await page.getByLabel('Email').fill(PROVISIONED.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(`${CONSOLE_URL}/`);
    // The account SCIM created, linked to the provider's subject: no second person.
    const me = await whoAmI(page);
    expect(me.body).toMatchObject({ id: scimId, email: PROVISIONED.email, displayName: PROVISIONED.name, roles: ['EMPLOYEE'] });
    await snapshot(page, testInfo, 'provisioned-signed-in');

    // The provider deactivates her (Okta's shape): her session ends at once, the next page is the login page.
    const off = await scim(token, 'PATCH', `/Users/${scimId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false });
    expect((await whoAmI(page)).status).toBe(401);
    await page.reload();
    await expect(page).toHaveURL(/\/login\?ended=session/);
    await expect(page.getByTestId('session-ended')).toContainText('Your session was ended');

    // Signing in through the provider again is refused: the account is deactivated.
    await chooseOrganisation(page);
    await page.getByRole('link', { name: `Continue with ${PROVIDER_NAME}` }).click();
    // The provider may still hold her session (then it sends her straight back) or ask again.
    await page.waitForURL((url) => url.searchParams.has('ssoError') || url.href.startsWith(`${provider.issuer}/interaction/`));
    if (page.url().startsWith(provider.issuer)) {
      await page.getByLabel('Email').fill(PROVISIONED.email);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await expect(page).toHaveURL(/\/login\?.*ssoError=SSO_ACCOUNT_DISABLED/);
    await expect(page.getByTestId('login-alert')).toContainText('This account cannot sign in. Contact your administrator.');
    await snapshot(page, testInfo, 'deactivated-refused');
  });
});
