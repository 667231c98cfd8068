import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '../src/config/config';
import { createApp } from '../src/http-server';
import { ProviderAddressRefused, ProviderAddresses } from '../src/modules/identity/provider-fetch';
import { CookieJar, signInAtProvider, startTestProvider, type TestProvider } from '../../../tools/runtime/src/testing/oidc-test-provider';
import { PASSWORD, createTenant, ownerDb, requireEnv, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * OpenID Connect sign-in per organisation (docs/identity.md) against a real provider (oidc-provider)
 * driven over HTTP: configuration, the code flow with PKCE, just-in-time accounts, the group mapping,
 * and every check of the ID token made to fail in turn.
 */
describe('single sign-on', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let provider: TestProvider;
  let domain: string;
  const redirectUri = 'http://localhost:3000/api/v1/auth/sso/callback';
  const consoleHeaders = { 'sec-fetch-site': 'same-origin' };

  const configure = (overrides: Record<string, unknown> = {}) =>
    test.request({
      method: 'PUT',
      url: '/api/v1/sso',
      token: tenant.users.admin.token,
      payload: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        allowedDomains: [domain],
        passwordLogin: true,
        ...overrides,
      },
    });

  /** The whole code flow as a browser runs it; answers the callback's answer. */
  async function signIn(email: string) {
    const start = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` });
    expect(start.statusCode).toBe(302);
    const location = String(start.headers.location);
    if (!location.startsWith(provider.issuer)) return { start, callback: start, cookie: undefined };
    const flowCookie = [start.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-retract_sso='))!;
    expect(flowCookie).toMatch(/HttpOnly/i);
    expect(flowCookie).toMatch(/SameSite=Lax/i);
    const back = new URL(await signInAtProvider(location, email, redirectUri));
    const callback = await test.request({
      method: 'GET',
      url: `/api/v1/auth/sso/callback${back.search}`,
      headers: { cookie: flowCookie.split(';')[0] },
    });
    const session = [callback.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-retract_session='));
    const logout = [callback.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-retract_sso_logout='));
    return { start, callback, cookie: session?.split(';')[0], logoutCookie: logout?.split(';')[0] };
  }

  const ssoError = (response: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(response.statusCode).toBe(302);
    return new URL(String(response.headers.location), 'http://localhost:3000').searchParams.get('ssoError');
  };

  beforeAll(async () => {
    test = await startTestApp({ SSO_ALLOW_INSECURE_ISSUERS: 'true', SSO_ALLOWED_ISSUERS: '127.0.0.1' });
    tenant = await createTenant(test);
    domain = `${tenant.slug}.test`;
    provider = await startTestProvider({ redirectUri, postLogoutRedirectUri: 'http://localhost:3000/login' });
  });
  afterAll(async () => {
    await provider?.close();
    await test.close();
  });
  afterEach(() => {
    provider.tamper = null;
  });

  describe('configuration', () => {
    it('stores the client secret sealed, never answers it, audits the change and reports the redirect URI', async () => {
      const put = await configure({ groupRoles: [{ group: 'retract-admins', role: 'ADMIN' }] });
      expect(put.statusCode).toBe(200);
      expect(put.body).not.toContain(provider.clientSecret);
      expect(put.json()).toMatchObject({ issuer: provider.issuer, clientSecretSet: true, redirectUri, allowedDomains: [domain], enabled: true });
      const get = await test.request({ method: 'GET', url: '/api/v1/sso', token: tenant.users.admin.token });
      expect(get.statusCode).toBe(200);
      expect(get.body).not.toContain(provider.clientSecret);
      const [row] = await ownerDb().$queryRaw<{ client_secret_sealed: Buffer; kek_id: string }[]>`
        SELECT client_secret_sealed, kek_id FROM sso_providers WHERE tenant_id = ${tenant.id}::uuid`;
      expect(Buffer.from(row.client_secret_sealed).includes(Buffer.from(provider.clientSecret))).toBe(false);
      expect(row.kek_id).toBe(test.config.AUDIT_KEK_ID);
      const audit = await test.request({ method: 'GET', url: '/api/v1/audit?action=SSO_CONFIGURED', token: tenant.users.compliance.token });
      expect(audit.statusCode).toBe(200);
      expect(audit.json().items.length).toBeGreaterThan(0);
      expect(audit.body).not.toContain(provider.clientSecret);
    });

    it('keeps the stored secret when an update leaves it out, and requires one for a new client id', async () => {
      const { clientSecret: _omitted, ...rest } = {
        clientSecret: '',
        issuer: provider.issuer,
        clientId: provider.clientId,
        allowedDomains: [domain],
        passwordLogin: true,
      };
      expect((await test.request({ method: 'PUT', url: '/api/v1/sso', token: tenant.users.admin.token, payload: rest })).statusCode).toBe(200);
      const other = await test.request({ method: 'PUT', url: '/api/v1/sso', token: tenant.users.admin.token, payload: { ...rest, clientId: 'another' } });
      expect(other.statusCode).toBe(400);
      expect(other.json().errors[0].field).toBe('clientSecret');
    });

    it('names the provider on the login page as the administrator set it, else by the issuer host', async () => {
      expect((await configure({ providerName: 'Acme Identity' })).json()).toMatchObject({ providerName: 'Acme Identity' });
      const named = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/options` });
      expect(named.json()).toEqual({ sso: true, passwordLogin: true, providerName: 'Acme Identity' });
      expect((await configure()).json()).toMatchObject({ providerName: null });
      const unnamed = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/options` });
      expect(unnamed.json()).toEqual({ sso: true, passwordLogin: true, providerName: '127.0.0.1' });
    });

    it('is for administrators only', async () => {
      for (const user of [tenant.users.compliance, tenant.users.alice]) {
        expect((await test.request({ method: 'GET', url: '/api/v1/sso', token: user.token })).statusCode).toBe(403);
        expect((await test.request({ method: 'PUT', url: '/api/v1/sso', token: user.token, payload: {} })).statusCode).toBe(403);
      }
    });

    it('tests the connection by fetching discovery', async () => {
      const ok = await test.request({ method: 'POST', url: '/api/v1/sso/test', token: tenant.users.admin.token, payload: {} });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        ok: true,
        issuer: provider.issuer,
        authorizationEndpoint: `${provider.issuer}/auth`,
        tokenEndpoint: `${provider.issuer}/token`,
        jwksUri: `${provider.issuer}/jwks`,
        endSessionEndpoint: `${provider.issuer}/session/end`,
        pkceS256: true,
        problem: null,
      });
      const down = await test.request({
        method: 'POST',
        url: '/api/v1/sso/test',
        token: tenant.users.admin.token,
        payload: { issuer: 'http://127.0.0.1:9/nothing' },
      });
      expect(down.statusCode).toBe(200);
      expect(down.json()).toMatchObject({ ok: false, authorizationEndpoint: null });
      expect(down.json().problem).toBe(
        'Discovery failed at http://127.0.0.1:9/nothing/.well-known/openid-configuration: the connection was refused (nothing listens there).',
      );
      const missing = await test.request({
        method: 'POST',
        url: '/api/v1/sso/test',
        token: tenant.users.admin.token,
        payload: { issuer: `${provider.issuer}/elsewhere` },
      });
      expect(missing.json().problem).toMatch(/openid-configuration: the provider answered HTTP 404\.$/);
    });
  });

  describe('sign-in', () => {
    beforeAll(async () => {
      expect(
        (
          await configure({
            groupRoles: [
              { group: 'retract-admins', role: 'ADMIN' },
              { group: 'retract-compliance', role: 'COMPLIANCE' },
            ],
          })
        ).statusCode,
      ).toBe(200);
    });

    it('sends the browser to the provider with PKCE S256, state and nonce', async () => {
      const start = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` });
      expect(start.statusCode).toBe(302);
      const url = new URL(String(start.headers.location));
      expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(url.searchParams.get('state')).toBeTruthy();
      expect(url.searchParams.get('nonce')).toBeTruthy();
      expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
      expect(url.searchParams.get('client_id')).toBe(provider.clientId);
    });

    it('creates an EMPLOYEE on a first sign-in from an allowed domain and opens the same session as a password login', async () => {
      const email = `newcomer@${domain}`;
      provider.accounts.set(email, { sub: `sub-${randomBytes(4).toString('hex')}`, email, name: 'New Comer' });
      const { callback, cookie } = await signIn(email);
      expect(callback.statusCode).toBe(302);
      expect(callback.headers.location).toBe('/login?sso=signed-in');
      const setCookie = [callback.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-retract_session='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/Secure/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      const me = await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie!, ...consoleHeaders } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ email, displayName: 'New Comer', roles: ['EMPLOYEE'] });
      // Logout revokes it like any session.
      expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookie!, ...consoleHeaders } })).statusCode).toBe(204);
      expect((await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie!, ...consoleHeaders } })).statusCode).toBe(401);
      // The second sign-in finds the same person by the provider's subject.
      const again = await signIn(email);
      const meAgain = await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: again.cookie!, ...consoleHeaders } });
      expect(meAgain.json().id).toBe(me.json().id);
      const created = await test.request({
        method: 'GET',
        url: `/api/v1/audit?action=USER_CREATED&subjectUserId=${me.json().id}`,
        token: tenant.users.compliance.token,
      });
      expect(created.json().items).toHaveLength(1);
    });

    it('logs out at the provider after the Retract session ends (RP-initiated logout with id_token_hint), back to the login page', async () => {
      const email = `leaver@${domain}`;
      provider.accounts.set(email, { sub: `sub-${randomBytes(4).toString('hex')}`, email, name: 'Leaver' });
      const { cookie, logoutCookie } = await signIn(email);
      expect(logoutCookie).toBeDefined();
      expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookie!, ...consoleHeaders } })).statusCode).toBe(204);
      const logout = await test.request({ method: 'GET', url: '/api/v1/auth/sso/logout', headers: { cookie: logoutCookie! } });
      expect(logout.statusCode).toBe(302);
      expect([logout.headers['set-cookie']].flat().join('\n')).toMatch(/__Host-retract_sso_logout=;/);
      const endSession = new URL(String(logout.headers.location));
      expect(`${endSession.origin}${endSession.pathname}`).toBe(`${provider.issuer}/session/end`);
      expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3000/login');
      expect(endSession.searchParams.get('client_id')).toBe(provider.clientId);
      expect(endSession.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3);
      // The provider accepts the hint and, once the person confirms, sends the browser back to the login page.
      const jar = new CookieJar();
      const confirm = await fetch(endSession, { redirect: 'manual' });
      jar.store(confirm.headers.getSetCookie());
      const form = await confirm.text();
      expect(confirm.status).toBe(200);
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
      const action = /action="([^"]+)"/.exec(form)?.[1];
      expect(xsrf && action).toBeTruthy();
      const done = await fetch(new URL(action!, provider.issuer), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
      });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/login/);
    });

    it('sends a browser without a provider sign-in (or with an altered one) straight to the login page', async () => {
      for (const cookie of [undefined, '__Host-retract_sso_logout=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.altered']) {
        const logout = await test.request({ method: 'GET', url: '/api/v1/auth/sso/logout', headers: cookie ? { cookie } : {} });
        expect(logout.statusCode).toBe(302);
        expect(logout.headers.location).toBe('/login');
      }
    });

    it('gives mapped roles from the groups claim; COMPLIANCE only as a pending grant for a second officer', async () => {
      const email = `lead@${domain}`;
      provider.accounts.set(email, {
        sub: `sub-${randomBytes(4).toString('hex')}`,
        email,
        name: 'Lead',
        groups: ['retract-admins', 'retract-compliance', 'other'],
      });
      const { cookie } = await signIn(email);
      const me = await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie!, ...consoleHeaders } });
      expect([...me.json().roles].sort()).toEqual(['ADMIN', 'EMPLOYEE']);
      const grants = await test.request({ method: 'GET', url: '/api/v1/role-grants', token: tenant.users.compliance.token });
      const grant = grants.json().items.find((g: { user: { id: string } }) => g.user.id === me.json().id);
      expect(grant).toMatchObject({ role: 'COMPLIANCE', state: 'PENDING', requestedBy: { id: tenant.users.admin.id } });
    });

    it('links an existing account of the same email to the provider subject', async () => {
      const email = tenant.users.bob.email;
      provider.accounts.set(email, { sub: `sub-${randomBytes(4).toString('hex')}`, email, name: 'Bob at the provider' });
      const { cookie } = await signIn(email);
      const me = await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie!, ...consoleHeaders } });
      expect(me.json().id).toBe(tenant.users.bob.id);
    });

    /** docs/identity.md: every refused sign-in is one warning with its code and organisation, naming no person. */
    const expectRefusalLogged = (warnings: jest.SpyInstance, code: string, email: string) => {
      const lines = warnings.mock.calls.filter(([fields]) => (fields as { code?: string })?.code === code);
      warnings.mockRestore();
      expect(lines).toEqual([[{ tenant: tenant.slug, tenantId: tenant.id, code, reason: expect.any(String) }, 'single sign-on refused']]);
      expect(JSON.stringify(lines)).not.toContain(email.slice(email.indexOf('@') + 1));
    };

    it('refuses a domain that is not allowed, and creates nobody', async () => {
      const email = `outsider@elsewhere-${randomBytes(3).toString('hex')}.test`;
      provider.accounts.set(email, { sub: `sub-${randomBytes(4).toString('hex')}`, email, name: 'Outsider' });
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      const { callback, cookie } = await signIn(email);
      expect(ssoError(callback)).toBe('SSO_DOMAIN_NOT_ALLOWED');
      expectRefusalLogged(warnings, 'SSO_DOMAIN_NOT_ALLOWED', email);
      expect(cookie).toBeUndefined();
      const [row] = await ownerDb().$queryRaw<{ n: bigint }[]>`SELECT count(*)::bigint AS n FROM users WHERE email = ${email}`;
      expect(Number(row.n)).toBe(0);
    });

    it('refuses an email the provider says is not verified', async () => {
      const email = `unverified@${domain}`;
      provider.accounts.set(email, { sub: `sub-${randomBytes(4).toString('hex')}`, email, name: 'U', emailVerified: false });
      expect(ssoError((await signIn(email)).callback)).toBe('SSO_EMAIL_NOT_VERIFIED');
    });

    it('refuses a deactivated account', async () => {
      const email = tenant.users.alice.email;
      provider.accounts.set(email, { sub: `sub-${randomBytes(4).toString('hex')}`, email, name: 'Alice' });
      const off = await test.request({
        method: 'PATCH',
        url: `/api/v1/users/${tenant.users.alice.id}`,
        token: tenant.users.admin.token,
        payload: { active: false },
      });
      expect(off.statusCode).toBe(200);
      const warnings = jest.spyOn(Logger.prototype, 'warn');
      expect(ssoError((await signIn(email)).callback)).toBe('SSO_ACCOUNT_DISABLED');
      expectRefusalLogged(warnings, 'SSO_ACCOUNT_DISABLED', email);
    });

    describe('ID token checks (the provider answers a token re-signed with one thing wrong)', () => {
      const email = () => `checks@${domain}`;
      beforeAll(() => {
        provider.accounts.set(`checks@${domain}`, { sub: 'sub-checks', email: `checks@${domain}`, name: 'Checks' });
      });

      it('accepts the untouched token re-signed with the provider key (the tamper path itself works)', async () => {
        provider.tamper = { claims: {} };
        const { callback, cookie } = await signIn(email());
        expect(callback.headers.location).toBe('/login?sso=signed-in');
        expect(cookie).toBeDefined();
      });

      it.each([
        ['a wrong nonce', { claims: { nonce: 'not-the-nonce-we-sent' } }],
        ['a wrong audience', { claims: { aud: 'another-client' } }],
        ['an expired token', { claims: { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 } }],
        ['a wrong issuer', { claims: { iss: 'https://impostor.example' } }],
        ['a signature by another key', { foreignKey: true }],
      ])('refuses %s', async (_name, tamper) => {
        provider.tamper = tamper;
        const { callback, cookie } = await signIn(email());
        expect(ssoError(callback)).toBe('SSO_TOKEN_INVALID');
        expect(cookie).toBeUndefined();
      });
    });

    it('refuses a callback without the flow cookie of the browser that started it', async () => {
      const email = `nocookie@${domain}`;
      provider.accounts.set(email, { sub: 'sub-nocookie', email, name: 'N' });
      const start = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` });
      const back = new URL(await signInAtProvider(String(start.headers.location), email, redirectUri));
      const callback = await test.request({ method: 'GET', url: `/api/v1/auth/sso/callback${back.search}` });
      expect(ssoError(callback)).toBe('SSO_FLOW_EXPIRED');
      expect(callback.headers['set-cookie']?.toString() ?? '').not.toContain('__Host-retract_session=ey');
    });
  });

  describe('password sign-in and a disabled provider', () => {
    it('refuses passwords to non-administrators when the organisation says so; administrators keep theirs', async () => {
      expect((await configure({ passwordLogin: false })).statusCode).toBe(200);
      const options = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/options` });
      expect(options.json()).toEqual({ sso: true, passwordLogin: false, providerName: '127.0.0.1' });
      const employee = await test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: tenant.slug, email: tenant.users.bob.email, password: PASSWORD },
      });
      expect(employee.statusCode).toBe(403);
      expect(employee.json()).toMatchObject({ code: 'SSO_REQUIRED', title: 'Sign-in through the identity provider is required' });
      const wrong = await test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: tenant.slug, email: tenant.users.bob.email, password: 'wrong password!!' },
      });
      expect(wrong.statusCode).toBe(401);
      const admin = await test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: tenant.slug, email: tenant.users.admin.email, password: PASSWORD },
      });
      expect(admin.statusCode).toBe(200);
    });

    it('a disabled provider signs nobody in, and passwords work again', async () => {
      const email = `late@${domain}`;
      provider.accounts.set(email, { sub: 'sub-late', email, name: 'Late' });
      // A flow started while enabled, finished after the provider was disabled.
      const start = await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` });
      const flowCookie = [start.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-retract_sso='))!;
      const back = new URL(await signInAtProvider(String(start.headers.location), email, redirectUri));
      expect((await configure({ enabled: false, passwordLogin: false })).statusCode).toBe(200);
      const callback = await test.request({ method: 'GET', url: `/api/v1/auth/sso/callback${back.search}`, headers: { cookie: flowCookie.split(';')[0] } });
      expect(ssoError(callback)).toBe('SSO_NOT_CONFIGURED');
      expect(ssoError(await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` }))).toBe('SSO_NOT_CONFIGURED');
      expect((await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/options` })).json()).toEqual({
        sso: false,
        passwordLogin: true,
        providerName: null,
      });
      const employee = await test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: tenant.slug, email: tenant.users.bob.email, password: PASSWORD },
      });
      expect(employee.statusCode).toBe(200);
    });

    it('an unreachable provider sends the browser back to the login page saying so (not a 500)', async () => {
      expect((await configure({ issuer: 'http://127.0.0.1:9/idp' })).statusCode).toBe(200);
      expect(ssoError(await test.request({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` }))).toBe('SSO_PROVIDER_UNREACHABLE');
    });

    it('an organisation without a provider answers the login page that passwords are used', async () => {
      const other = await createTenant(test, { admin: ['ADMIN'] });
      expect((await test.request({ method: 'GET', url: `/api/v1/auth/sso/${other.slug}/options` })).json()).toEqual({
        sso: false,
        passwordLogin: true,
        providerName: null,
      });
      expect(ssoError(await test.request({ method: 'GET', url: `/api/v1/auth/sso/${other.slug}/start` }))).toBe('SSO_NOT_CONFIGURED');
    });
  });

  describe('provider addresses (docs/identity.md, "Provider addresses")', () => {
    let guarded: TestApp;
    let guardedTenant: TestTenant;
    let strict: TestApp;
    let strictTenant: TestTenant;
    let misleading: Server;

    beforeAll(async () => {
      guarded = await startTestApp({ SSO_ALLOW_INSECURE_ISSUERS: 'true' });
      guardedTenant = await createTenant(guarded, { admin: ['ADMIN'] });
      strict = await startTestApp();
      strictTenant = await createTenant(strict, { admin: ['ADMIN'] });
      // An allowed issuer whose discovery document sends the server's own requests elsewhere.
      misleading = createServer((request, response) => {
        const issuer = `http://127.0.0.1:${(misleading.address() as AddressInfo).port}`;
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: 'http://169.254.169.254/latest/meta-data',
            jwks_uri: `${issuer}/jwks`,
            code_challenge_methods_supported: ['S256'],
            response_types_supported: ['code'],
          }),
        );
      });
      await new Promise<void>((resolve) => misleading.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => misleading?.close(resolve));
      await guarded?.close();
      await strict?.close();
    });

    const put = (app: TestApp, on: TestTenant, issuer: string) =>
      app.request({
        method: 'PUT',
        url: '/api/v1/sso',
        token: on.users.admin.token,
        payload: { issuer, clientId: 'retract', clientSecret: 'a secret', allowedDomains: ['example.com'], passwordLogin: true },
      });

    it.each([
      ['a loopback literal', () => provider.issuer, /loopback/],
      ['a name that resolves to loopback', () => provider.issuer.replace('127.0.0.1', 'localhost'), /resolves to a non-public address/],
      ['the cloud metadata address (link-local)', () => 'http://169.254.169.254/latest', /link-local/],
      ['a private address', () => 'http://10.1.2.3/realms/acme', /private/],
    ])('refuses an issuer on %s unless SSO_ALLOWED_ISSUERS lists it', async (_name, issuer, reason) => {
      const refused = await put(guarded, guardedTenant, issuer());
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'issuer', code: 'issuer_refused', message: expect.stringMatching(reason) })]);
      const probe = await guarded.request({ method: 'POST', url: '/api/v1/sso/test', token: guardedTenant.users.admin.token, payload: { issuer: issuer() } });
      expect(probe.statusCode).toBe(200);
      expect(probe.json()).toMatchObject({ ok: false, authorizationEndpoint: null });
      expect(probe.json().problem).toMatch(reason);
      expect(probe.json().problem).toMatch(/an internal provider must be listed in SSO_ALLOWED_ISSUERS/);
    });

    it('reports a discovery document that points the token endpoint at a refused address', async () => {
      const issuer = `http://127.0.0.1:${(misleading.address() as AddressInfo).port}`;
      const probe = await test.request({ method: 'POST', url: '/api/v1/sso/test', token: tenant.users.admin.token, payload: { issuer } });
      expect(probe.json()).toMatchObject({ ok: false, tokenEndpoint: 'http://169.254.169.254/latest/meta-data' });
      expect(probe.json().problem).toMatch(/endpoint of the provider is refused: http:\/\/169\.254\.169\.254 must not be a link-local address/);
    });

    it.each([
      ['lists no PKCE methods (as Microsoft Entra ID): usable, S256 is sent anyway', undefined, true],
      ['lists PKCE methods without S256: not usable', ['plain'], false],
    ])('a provider that %s', async (_name, methods, ok) => {
      const discovery = createServer((_request, response) => {
        const issuer = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/keys`,
            response_types_supported: ['code'],
            ...(methods ? { code_challenge_methods_supported: methods } : {}),
          }),
        );
      });
      await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
      try {
        const issuer = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}`;
        const probe = await test.request({ method: 'POST', url: '/api/v1/sso/test', token: tenant.users.admin.token, payload: { issuer } });
        expect(probe.json()).toMatchObject({ ok, pkceS256: false, problem: ok ? null : expect.stringMatching(/PKCE with S256/) });
      } finally {
        await new Promise((resolve) => discovery.close(resolve));
      }
    });

    it('connects to nothing it has not checked: a refused URL fails before any connection', async () => {
      let connected = false;
      const addresses = new ProviderAddresses([], () => {
        connected = true;
        return Promise.resolve(['10.0.0.7']);
      });
      await expect(addresses.fetch('http://internal.example/token', { method: 'POST', headers: {}, body: 'a=b', redirect: 'manual' })).rejects.toThrow(
        ProviderAddressRefused,
      );
      // The name was resolved (to check it), but the private answer was refused.
      expect(connected).toBe(true);
    });

    it('requires https unless SSO_ALLOW_INSECURE_ISSUERS, and refuses that flag in production', async () => {
      const plain = await put(strict, strictTenant, 'http://idp.example.com/');
      expect(plain.statusCode).toBe(400);
      expect(plain.json().errors[0]).toMatchObject({ field: 'issuer', message: expect.stringMatching(/must use https/) });
      const base = {
        ...process.env,
        APP_DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL'),
        JWT_SECRET: 'x'.repeat(32),
        AUDIT_KEK: Buffer.alloc(32).toString('base64'),
      };
      expect(() => loadConfig({ ...base, NODE_ENV: 'production', SSO_ALLOW_INSECURE_ISSUERS: 'true' })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, NODE_ENV: 'production', SSO_ALLOW_INSECURE_ISSUERS: 'true' })).toThrow(/SSO_ALLOW_INSECURE_ISSUERS/);
      expect(loadConfig({ ...base, NODE_ENV: 'production', SSO_ALLOW_INSECURE_ISSUERS: 'false' }).SSO_ALLOW_INSECURE_ISSUERS).toBe(false);
      expect(() => loadConfig({ ...base, SSO_ALLOWED_ISSUERS: '0.0.0.0/0' })).toThrow(/SSO_ALLOWED_ISSUERS/);
    });
  });

  it('answers each redirect once: no second reply after it (Fastify logs that as a 500)', async () => {
    // The same settings as the suite's app, with the warnings Fastify writes for a second reply watched.
    const app = await createApp({ ...test.config, LOG_LEVEL: 'warn' });
    const warnings: string[] = [];
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (_request, reply, done) => {
        const warn = reply.log.warn.bind(reply.log);
        reply.log.warn = (...args: Parameters<typeof warn>) => {
          warnings.push(JSON.stringify(args));
          warn(...args);
        };
        done();
      });
    await app.getHttpAdapter().getInstance().ready();
    try {
      expect((await configure({ passwordLogin: true, enabled: true })).statusCode).toBe(200);
      const email = `once@${domain}`;
      provider.accounts.set(email, { sub: 'sub-once', email, name: 'Once' });
      const start = await app.inject({ method: 'GET', url: `/api/v1/auth/sso/${tenant.slug}/start` });
      expect(start.statusCode).toBe(302);
      const flowCookie = [start.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-retract_sso='))!;
      const back = new URL(await signInAtProvider(String(start.headers.location), email, redirectUri));
      const callback = await app.inject({ method: 'GET', url: `/api/v1/auth/sso/callback${back.search}`, headers: { cookie: flowCookie.split(';')[0] } });
      expect(callback.headers.location).toBe('/login?sso=signed-in');
      expect((await app.inject({ method: 'GET', url: '/api/v1/auth/sso/logout' })).statusCode).toBe(302);
      expect(warnings.filter((w) => w.includes('FST_ERR_REP_ALREADY_SENT'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
