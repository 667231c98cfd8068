import { createTenant, PASSWORD, signInChoosingOwnPassword, startTestApp, type TestApp, type TestTenant } from './test-app';

describe('users administration', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'], alice: ['EMPLOYEE'], dave: ['EMPLOYEE'], both: ['ADMIN', 'COMPLIANCE'] });
    other = await createTenant(test);
  });
  afterAll(() => test.close());

  const newUser = (email: string) => ({ email, displayName: 'New Person', roles: ['EMPLOYEE'], password: 'a-long-enough-password' });

  describe.each([
    ['admin', 200, 201],
    ['both', 200, 201],
    ['compliance', 403, 403],
    ['alice', 403, 403],
  ])('as %s', (who, listStatus, createStatus) => {
    it(`lists users: ${listStatus}`, async () => {
      const response = await test.request({ method: 'GET', url: '/api/v1/users', token: tenant.users[who].token });
      expect(response.statusCode).toBe(listStatus);
      if (listStatus === 200) {
        const emails = response.json().items.map((u: { email: string }) => u.email);
        expect(emails).toContain(tenant.users.alice.email);
        expect(emails).not.toContain(other.users.alice.email);
      } else {
        expect(response.json().code).toBe('FORBIDDEN');
      }
    });

    it(`creates users: ${createStatus}`, async () => {
      const response = await test.request({
        method: 'POST',
        url: '/api/v1/users',
        token: tenant.users[who].token,
        payload: newUser(`new-${who}@${tenant.slug}.test`),
      });
      expect(response.statusCode).toBe(createStatus);
    });
  });

  it('makes someone created with an administrator’s password choose their own before anything else', async () => {
    const email = `first-login@${tenant.slug}.test`;
    const created = await test.request({ method: 'POST', url: '/api/v1/users', token: tenant.users.admin.token, payload: newUser(email) });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ mustChangePassword: true, pendingRoles: [] });
    const login = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email, password: 'a-long-enough-password' },
    });
    expect(login.json().user.mustChangePassword).toBe(true);
    const blocked = await test.request({ method: 'GET', url: '/api/v1/conversations', token: login.json().accessToken });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().passwordChangeRequired).toBe(true);
    const listed = (await test.request({ method: 'GET', url: `/api/v1/users?q=first-login`, token: tenant.users.admin.token })).json().items;
    expect(listed).toMatchObject([{ email, mustChangePassword: true }]);
  });

  it('pages through users with a cursor', async () => {
    const first = await test.request({ method: 'GET', url: '/api/v1/users?limit=2', token: tenant.users.admin.token });
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    const second = await test.request({ method: 'GET', url: `/api/v1/users?limit=2&cursor=${page1.nextCursor}`, token: tenant.users.admin.token });
    const emails = [...page1.items, ...second.json().items].map((u: { email: string }) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('refuses a duplicate email with 409 and invalid fields with 400 by field', async () => {
    const duplicate = await test.request({ method: 'POST', url: '/api/v1/users', token: tenant.users.admin.token, payload: newUser(tenant.users.alice.email) });
    expect(duplicate.statusCode).toBe(409);
    const invalid = await test.request({
      method: 'POST',
      url: '/api/v1/users',
      token: tenant.users.admin.token,
      payload: { email: 'not-an-email', displayName: '', roles: ['KING'], password: 'short', isRoot: true },
    });
    expect(invalid.statusCode).toBe(400);
    const fields = invalid
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['displayName', 'email', 'isRoot', 'password', 'roles.0']);
  });

  it('changes roles, which apply on the very next request', async () => {
    const created = await test.request({
      method: 'POST',
      url: '/api/v1/users',
      token: tenant.users.admin.token,
      payload: newUser(`promo@${tenant.slug}.test`),
    });
    const id = created.json().id;
    const { token } = await signInChoosingOwnPassword(test, tenant.slug, `promo@${tenant.slug}.test`, 'a-long-enough-password');
    expect((await test.request({ method: 'GET', url: '/api/v1/users', token })).statusCode).toBe(403);
    const patched = await test.request({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      token: tenant.users.admin.token,
      payload: { roles: ['EMPLOYEE', 'ADMIN'] },
    });
    expect(patched.json().roles).toEqual(['EMPLOYEE', 'ADMIN']);
    expect((await test.request({ method: 'GET', url: '/api/v1/users', token })).statusCode).toBe(200);
  });

  it('deactivating a user stops their token at once', async () => {
    const before = await test.request({ method: 'GET', url: '/api/v1/me', token: tenant.users.dave.token });
    expect(before.statusCode).toBe(200);
    const patched = await test.request({
      method: 'PATCH',
      url: `/api/v1/users/${tenant.users.dave.id}`,
      token: tenant.users.admin.token,
      payload: { active: false },
    });
    expect(patched.json().active).toBe(false);
    expect((await test.request({ method: 'GET', url: '/api/v1/me', token: tenant.users.dave.token })).statusCode).toBe(401);
    const relogin = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email: tenant.users.dave.email, password: PASSWORD },
    });
    expect(relogin.statusCode).toBe(401);
  });

  it('keeps at least one active administrator', async () => {
    const solo = await createTenant(test, { admin: ['ADMIN'] });
    const response = await test.request({
      method: 'PATCH',
      url: `/api/v1/users/${solo.users.admin.id}`,
      token: solo.users.admin.token,
      payload: { active: false },
    });
    expect(response.statusCode).toBe(409);
  });

  it('answers 404 for unknown and cross-tenant ids, 400 for malformed ones', async () => {
    const token = tenant.users.admin.token;
    expect((await test.request({ method: 'PATCH', url: `/api/v1/users/${other.users.alice.id}`, token, payload: { active: false } })).statusCode).toBe(404);
    expect(
      (await test.request({ method: 'PATCH', url: '/api/v1/users/00000000-0000-4000-8000-000000000000', token, payload: { active: false } })).statusCode,
    ).toBe(404);
    expect((await test.request({ method: 'PATCH', url: '/api/v1/users/not-a-uuid', token, payload: { active: false } })).statusCode).toBe(400);
  });

  it('records every user change in the audit log', async () => {
    const admin = tenant.users.admin;
    const created = await test.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: newUser(`audited@${tenant.slug}.test`) });
    const id = created.json().id;
    await test.request({ method: 'PATCH', url: `/api/v1/users/${id}`, token: admin.token, payload: { roles: ['EMPLOYEE', 'ADMIN'] } });
    await test.request({ method: 'PATCH', url: `/api/v1/users/${id}`, token: admin.token, payload: { active: false } });
    await test.request({ method: 'PATCH', url: `/api/v1/users/${id}`, token: admin.token, payload: { active: true, password: 'a-brand-new-password' } });
    const entries = (await test.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${id}`, token: tenant.users.compliance.token })).json().items;
    expect(entries.map((e: { action: string }) => e.action).reverse()).toEqual([
      'USER_CREATED',
      'ROLE_CHANGED',
      'USER_DEACTIVATED',
      'USER_REACTIVATED',
      'PASSWORD_CHANGED',
    ]);
    expect(entries.every((e: { actorId: string }) => e.actorId === admin.id)).toBe(true);
    const login = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email: `audited@${tenant.slug}.test`, password: 'a-brand-new-password' },
    });
    expect(login.statusCode).toBe(200);
  });

  it('lets a user change their own password, ending their other sessions', async () => {
    const email = `self@${tenant.slug}.test`;
    await test.request({ method: 'POST', url: '/api/v1/users', token: tenant.users.admin.token, payload: newUser(email) });
    const login = () =>
      test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenant.slug, email, password: 'a-long-enough-password' } });
    const phone = (await login()).json().accessToken;
    const laptop = (await login()).json().accessToken;
    const wrong = await test.request({
      method: 'PUT',
      url: '/api/v1/me/password',
      token: laptop,
      payload: { currentPassword: 'nope', newPassword: 'another-long-password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('currentPassword');
    const short = await test.request({
      method: 'PUT',
      url: '/api/v1/me/password',
      token: laptop,
      payload: { currentPassword: 'a-long-enough-password', newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const changed = await test.request({
      method: 'PUT',
      url: '/api/v1/me/password',
      token: laptop,
      payload: { currentPassword: 'a-long-enough-password', newPassword: 'another-long-password' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await test.request({ method: 'GET', url: '/api/v1/me', token: laptop })).statusCode).toBe(200);
    expect((await test.request({ method: 'GET', url: '/api/v1/me', token: phone })).statusCode).toBe(401);
    expect((await login()).statusCode).toBe(401);
  });
});
