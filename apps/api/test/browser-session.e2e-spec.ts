import { appendEntries, recalledDraft } from './audit-fixtures';
import { createTenant, PASSWORD, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * The console's browser session (docs/architecture.md, "Browser sessions"): a `__Host-`, Secure,
 * SameSite=Strict, httpOnly cookie that only the console can have set, whose token is never in a
 * response body; every write made with it, and every read that records an audit entry in the
 * user's name, must say (Origin or Sec-Fetch-Site) that it comes from the console.
 */
describe('browser session', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let recallSeq: number;

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'], alice: ['EMPLOYEE'] });
    [recallSeq] = await appendEntries(test, tenant, [recalledDraft(tenant, 'alice', 'the merger closes friday')]);
  });
  afterAll(() => test.close());

  const sameOrigin = { 'sec-fetch-site': 'same-origin' };
  const crossSite = { 'sec-fetch-site': 'cross-site' };

  const cookieLogin = (who: string, headers: Record<string, string>) =>
    test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email: tenant.users[who].email, password: PASSWORD, session: 'cookie' },
      headers,
    });

  const setCookies = (response: { headers: Record<string, string | string[] | number | undefined> }): string[] => {
    const header = response.headers['set-cookie'];
    return header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
  };

  /** Signs in through the console and returns the Cookie header the browser would send back. */
  const consoleSession = async (who: string): Promise<string> => {
    const response = await cookieLogin(who, { origin: test.config.CONSOLE_ORIGIN, ...sameOrigin });
    expect(response.statusCode).toBe(200);
    return setCookies(response)[0].split(';')[0];
  };

  const auditCount = async (action: string): Promise<number> => {
    const response = await test.request({ method: 'GET', url: `/api/v1/audit?action=${action}&limit=200`, token: tenant.users.compliance.token });
    expect(response.statusCode).toBe(200);
    return response.json().items.length;
  };

  it('sets a __Host- cookie that is Secure, httpOnly, SameSite=Strict, for Path=/ and no Domain, and keeps the token out of the body', async () => {
    const response = await cookieLogin('alice', { origin: test.config.CONSOLE_ORIGIN });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.accessToken).toBeUndefined();
    expect(body.user.email).toBe(tenant.users.alice.email);
    const [cookie, ...others] = setCookies(response);
    expect(others).toEqual([]);
    const [pair, ...attributes] = cookie.split(';').map((part) => part.trim());
    expect(pair).toMatch(/^__Host-retract_session=[^;]+$/);
    const names = attributes.map((attribute) => attribute.split('=')[0].toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['httponly', 'secure', 'path', 'samesite', 'expires']));
    expect(names).not.toContain('domain');
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'SameSite=Strict']));
    expect(JSON.stringify(body)).not.toContain(pair.split('=')[1]);
    const me = await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: pair } });
    expect(me.statusCode).toBe(200);
  });

  it('hands token clients (the default) the token and no cookie', async () => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email: tenant.users.alice.email, password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(typeof response.json().accessToken).toBe('string');
    expect(setCookies(response)).toEqual([]);
  });

  it('starts a cookie session only for a request that says it comes from the console', async () => {
    const refusals: Record<string, string>[] = [
      {},
      { origin: 'https://evil.example' },
      crossSite,
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
    ];
    for (const headers of refusals) {
      const refused = await cookieLogin('alice', headers);
      expect({ headers, status: refused.statusCode, cookies: setCookies(refused) }).toEqual({ headers, status: 403, cookies: [] });
    }
    expect((await cookieLogin('alice', sameOrigin)).statusCode).toBe(200);
  });

  it('refuses writes made with the cookie unless they say they come from the console', async () => {
    const cookie = await consoleSession('admin');
    const refusals: Record<string, string>[] = [{}, { origin: 'https://evil.example' }, crossSite, { 'sec-fetch-site': 'same-site' }];
    for (const headers of refusals) {
      const forged = await test.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, ...headers } });
      expect({ headers, status: forged.statusCode }).toEqual({ headers, status: 403 });
    }
    expect((await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, ...sameOrigin } })).statusCode).toBe(204);
    expect((await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('accepts writes with a bearer token and no browser headers (integrations, scripts)', async () => {
    const login = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email: tenant.users.admin.email, password: PASSWORD },
    });
    expect((await test.request({ method: 'POST', url: '/api/v1/auth/logout', token: login.json().accessToken })).statusCode).toBe(204);
  });

  it("does not let a cross-site link record a content view or an export in a compliance officer's name", async () => {
    const cookie = await consoleSession('compliance');
    const viewsBefore = await auditCount('AUDIT_CONTENT_VIEWED');
    const exportsBefore = await auditCount('EXPORT_CREATED');
    const refusals: Record<string, string>[] = [{}, crossSite, { 'sec-fetch-site': 'same-site' }];
    for (const headers of refusals) {
      const view = await test.request({ method: 'GET', url: `/api/v1/audit/${recallSeq}`, headers: { cookie, ...headers } });
      const exported = await test.request({ method: 'GET', url: '/api/v1/audit/export?format=csv', headers: { cookie, ...headers } });
      expect({ headers, view: view.statusCode, export: exported.statusCode }).toEqual({ headers, view: 403, export: 403 });
      expect(view.body).not.toContain('the merger closes friday');
    }
    expect(await auditCount('AUDIT_CONTENT_VIEWED')).toBe(viewsBefore);
    expect(await auditCount('EXPORT_CREATED')).toBe(exportsBefore);

    // From the console (its /api rewrite is same-origin to the browser) both work and are recorded.
    const view = await test.request({ method: 'GET', url: `/api/v1/audit/${recallSeq}`, headers: { cookie, ...sameOrigin } });
    expect(view.statusCode).toBe(200);
    expect(view.json().content.value).toEqual({ type: 'TEXT', body: 'the merger closes friday' });
    const exported = await test.request({ method: 'GET', url: '/api/v1/audit/export?format=csv', headers: { cookie, ...sameOrigin } });
    expect(exported.statusCode).toBe(200);
    expect(await auditCount('AUDIT_CONTENT_VIEWED')).toBe(viewsBefore + 1);
    expect(await auditCount('EXPORT_CREATED')).toBe(exportsBefore + 1);
  });

  it('reads that record nothing work with the cookie from anywhere the browser sends it', async () => {
    const cookie = await consoleSession('compliance');
    expect((await test.request({ method: 'GET', url: '/api/v1/audit', headers: { cookie } })).statusCode).toBe(200);
  });

  it('does not accept the cookie under its old name', async () => {
    const cookie = await consoleSession('alice');
    const oldName = cookie.replace(/^__Host-retract_session=/, 'retract_session=');
    expect((await test.request({ method: 'GET', url: '/api/v1/me', headers: { cookie: oldName } })).statusCode).toBe(401);
  });
});
