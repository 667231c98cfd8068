import { createTenant, PASSWORD, signInChoosingOwnPassword, startTestApp, type TestApp, type TestTenant } from './test-app';

const PLATFORM_TOKEN = 'separation-of-duties-platform-token-0123456789';
const NEW_PASSWORD = 'a-password-the-admin-knows';

/**
 * Separation of duties (docs/architecture.md, "Who can do what"): nobody changes their own roles,
 * COMPLIANCE given by an administrator waits for a second person, an administrator cannot take over
 * a compliance officer's account, and a reset password must be replaced before anything else.
 */
describe('separation of duties', () => {
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    test = await startTestApp({ PLATFORM_TOKEN });
    tenant = await createTenant(test, {
      admin: ['ADMIN'],
      compliance: ['COMPLIANCE'],
      officer: ['COMPLIANCE'],
      both: ['ADMIN', 'COMPLIANCE'],
      alice: ['EMPLOYEE'],
      bob: ['EMPLOYEE'],
      carol: ['EMPLOYEE'],
    });
  });
  afterAll(() => test.close());

  const as = (who: string) => tenant.users[who].token;
  const patchUser = (who: string, id: string, payload: unknown) => test.request({ method: 'PATCH', url: `/api/v1/users/${id}`, token: as(who), payload });
  const pendingGrants = async (who: string) => {
    const response = await test.request({ method: 'GET', url: '/api/v1/role-grants', token: as(who) });
    expect(response.statusCode).toBe(200);
    return response.json().items as { id: string; role: string; user: { id: string }; requestedBy: { id: string }; granteeMustChangePassword: boolean }[];
  };
  const grantFor = async (userId: string) => (await pendingGrants('compliance')).find((grant) => grant.user.id === userId);
  const decide = (who: string, id: string, decision: 'approve' | 'refuse') =>
    test.request({ method: 'POST', url: `/api/v1/role-grants/${id}/${decision}`, token: as(who) });
  const canReadAudit = async (token: string) => (await test.request({ method: 'GET', url: '/api/v1/audit', token })).statusCode;
  const auditActions = async (subjectUserId: string) => {
    const response = await test.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${subjectUserId}`, token: as('compliance') });
    expect(response.statusCode).toBe(200);
    return (response.json().items as { action: string; actorId: string }[]).reverse();
  };
  const login = (email: string, password = PASSWORD) =>
    test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenant.slug, email, password } });
  const newEmployee = async (local: string) => {
    const email = `${local}@${tenant.slug}.test`;
    const created = await test.request({
      method: 'POST',
      url: '/api/v1/users',
      token: as('admin'),
      payload: { email, displayName: local, roles: ['EMPLOYEE'], password: PASSWORD },
    });
    expect(created.statusCode).toBe(201);
    return { id: created.json().id as string, email, token: (await signInChoosingOwnPassword(test, tenant.slug, email, PASSWORD)).token };
  };

  describe('roles', () => {
    it('refuses anyone changing their own roles with 403, and leaves them unchanged', async () => {
      const own = await patchUser('admin', tenant.users.admin.id, { roles: ['ADMIN', 'COMPLIANCE'] });
      expect(own.statusCode).toBe(403);
      expect(own.headers['content-type']).toContain('application/problem+json');
      expect((await patchUser('both', tenant.users.both.id, { roles: ['ADMIN', 'COMPLIANCE', 'EMPLOYEE'] })).statusCode).toBe(403);
      const me = await test.request({ method: 'GET', url: '/api/v1/me', token: as('admin') });
      expect(me.json().roles).toEqual(['ADMIN']);
      expect(await grantFor(tenant.users.admin.id)).toBeUndefined();
    });

    it('keeps a COMPLIANCE grant pending, without its rights, until another compliance officer approves it', async () => {
      const alice = tenant.users.alice;
      const granted = await patchUser('admin', alice.id, { roles: ['EMPLOYEE', 'COMPLIANCE'] });
      expect(granted.statusCode).toBe(200);
      expect(granted.json()).toMatchObject({ roles: ['EMPLOYEE'], pendingRoles: ['COMPLIANCE'] });
      const listed = (await test.request({ method: 'GET', url: `/api/v1/users?q=${encodeURIComponent(alice.email)}`, token: as('admin') })).json().items;
      expect(listed).toMatchObject([{ id: alice.id, roles: ['EMPLOYEE'], pendingRoles: ['COMPLIANCE'] }]);
      expect(await canReadAudit(alice.token)).toBe(403);

      const waiting = (await pendingGrants('admin')).find((grant) => grant.user.id === alice.id);
      expect(waiting).toMatchObject({ role: 'COMPLIANCE', requestedBy: { id: tenant.users.admin.id }, granteeMustChangePassword: false });
      expect((await test.request({ method: 'GET', url: '/api/v1/role-grants', token: alice.token })).statusCode).toBe(403);
      expect((await decide('admin', waiting!.id, 'approve')).statusCode).toBe(403);

      expect((await decide('compliance', waiting!.id, 'approve')).statusCode).toBe(204);
      expect(await canReadAudit(alice.token)).toBe(200);
      expect(await grantFor(alice.id)).toBeUndefined();
      expect((await decide('officer', waiting!.id, 'refuse')).statusCode).toBe(409);

      const actions = await auditActions(alice.id);
      expect(actions.map((entry) => entry.action)).toEqual(['ROLE_GRANT_REQUESTED', 'ROLE_GRANT_APPROVED']);
      expect(actions.map((entry) => entry.actorId)).toEqual([tenant.users.admin.id, tenant.users.compliance.id]);
    });

    it('lets neither the requester nor the grantee decide a grant; a refusal leaves the user without the role', async () => {
      const bob = tenant.users.bob;
      await patchUser('both', bob.id, { roles: ['EMPLOYEE', 'COMPLIANCE'] });
      const grant = await grantFor(bob.id);
      expect(grant?.requestedBy.id).toBe(tenant.users.both.id);
      expect((await decide('both', grant!.id, 'approve')).statusCode).toBe(403);
      expect((await decide('bob', grant!.id, 'approve')).statusCode).toBe(403);
      expect((await decide('officer', grant!.id, 'refuse')).statusCode).toBe(204);
      expect((await decide('compliance', grant!.id, 'approve')).statusCode).toBe(409);
      expect(await canReadAudit(bob.token)).toBe(403);
      expect((await auditActions(bob.id)).map((entry) => entry.action)).toEqual(['ROLE_GRANT_REQUESTED', 'ROLE_GRANT_REFUSED']);
      expect((await decide('compliance', '00000000-0000-4000-8000-000000000000', 'approve')).statusCode).toBe(404);
    });

    it('keeps COMPLIANCE given at creation pending, and approvable only once the grantee has chosen their own password', async () => {
      const email = `newofficer@${tenant.slug}.test`;
      const created = await test.request({
        method: 'POST',
        url: '/api/v1/users',
        token: as('admin'),
        payload: { email, displayName: 'New officer', roles: ['COMPLIANCE'], password: PASSWORD },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ roles: [], pendingRoles: ['COMPLIANCE'], mustChangePassword: true });
      expect(await canReadAudit((await login(email)).json().accessToken)).toBe(403);
      const grant = await grantFor(created.json().id);
      expect(grant).toMatchObject({ role: 'COMPLIANCE', granteeMustChangePassword: true });

      const early = await decide('compliance', grant!.id, 'approve');
      expect(early.statusCode).toBe(409);
      expect(early.headers['content-type']).toContain('application/problem+json');
      expect(early.json()).toMatchObject({ code: 'CONFLICT', granteeMustChangePassword: true });
      expect(early.json().detail).toContain('password an administrator set');
      expect((await grantFor(created.json().id))?.id).toBe(grant!.id);

      const { token } = await signInChoosingOwnPassword(test, tenant.slug, email, PASSWORD);
      expect((await grantFor(created.json().id))?.granteeMustChangePassword).toBe(false);
      expect((await decide('compliance', grant!.id, 'approve')).statusCode).toBe(204);
      expect(await canReadAudit(token)).toBe(200);
    });

    it('refuses approving a grant for someone whose password an administrator reset until they choose their own; refusing stays possible', async () => {
      const gus = await newEmployee('gus');
      expect((await patchUser('admin', gus.id, { password: NEW_PASSWORD })).statusCode).toBe(200);
      expect((await patchUser('admin', gus.id, { roles: ['EMPLOYEE', 'COMPLIANCE'] })).json().pendingRoles).toEqual(['COMPLIANCE']);
      const grant = await grantFor(gus.id);
      expect(grant?.granteeMustChangePassword).toBe(true);
      expect((await decide('compliance', grant!.id, 'approve')).statusCode).toBe(409);
      expect((await decide('officer', grant!.id, 'refuse')).statusCode).toBe(204);
      expect((await auditActions(gus.id)).map((entry) => entry.action)).not.toContain('ROLE_GRANT_APPROVED');
    });

    it('withdraws a pending grant and revokes a held COMPLIANCE at once, both audited', async () => {
      const dora = await newEmployee('dora');
      await patchUser('admin', dora.id, { roles: ['EMPLOYEE', 'COMPLIANCE'] });
      expect(await grantFor(dora.id)).toBeDefined();
      expect((await patchUser('admin', dora.id, { roles: ['EMPLOYEE'] })).statusCode).toBe(200);
      expect(await grantFor(dora.id)).toBeUndefined();
      expect((await auditActions(dora.id)).map((entry) => entry.action)).toEqual([
        'USER_CREATED',
        'PASSWORD_CHANGED',
        'ROLE_GRANT_REQUESTED',
        'ROLE_GRANT_REVOKED',
      ]);

      const officer = tenant.users.officer;
      expect(await canReadAudit(officer.token)).toBe(200);
      expect((await patchUser('admin', officer.id, { roles: ['EMPLOYEE'] })).json().roles).toEqual(['EMPLOYEE']);
      expect((await test.request({ method: 'GET', url: '/api/v1/audit', token: (await login(officer.email)).json().accessToken })).statusCode).toBe(403);
      expect((await auditActions(officer.id)).map((entry) => entry.action)).toEqual(['ROLE_CHANGED']);
    });

    it('keeps the last active compliance officer', async () => {
      const solo = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'] });
      const response = await test.request({
        method: 'PATCH',
        url: `/api/v1/users/${solo.users.compliance.id}`,
        token: solo.users.admin.token,
        payload: { roles: ['EMPLOYEE'] },
      });
      expect(response.statusCode).toBe(409);
      const deactivate = await test.request({
        method: 'PATCH',
        url: `/api/v1/users/${solo.users.compliance.id}`,
        token: solo.users.admin.token,
        payload: { active: false },
      });
      expect(deactivate.statusCode).toBe(409);
    });
  });

  describe('provisioning', () => {
    const provision = (payload: Record<string, unknown>) =>
      test.request({ method: 'POST', url: '/api/v1/platform/tenants', headers: { authorization: `Bearer ${PLATFORM_TOKEN}` }, payload });

    it('names the first compliance officer, who holds COMPLIANCE at once', async () => {
      const slug = `sod-${Date.now().toString(36)}`;
      const created = await provision({
        slug,
        name: 'Initech',
        adminEmail: `boss@${slug}.test`,
        adminPassword: PASSWORD,
        complianceEmail: `Officer@${slug}.test`,
        complianceName: 'Olive',
      });
      expect(created.statusCode).toBe(201);
      const body = created.json();
      expect(body.compliance).toMatchObject({ email: `officer@${slug}.test`, displayName: 'Olive' });
      expect(body.complianceGeneratedPassword).toEqual(expect.any(String));
      const officer = await test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: slug, email: `officer@${slug}.test`, password: body.complianceGeneratedPassword },
      });
      expect(officer.statusCode).toBe(200);
      expect(officer.json().user.roles).toEqual(['COMPLIANCE']);
    });

    it('refuses an organisation without a compliance officer, or with the administrator as its officer', async () => {
      const slug = `sod-x-${Date.now().toString(36)}`;
      const missing = await provision({ slug, name: 'Initech', adminEmail: `boss@${slug}.test` });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors.map((error: { field: string }) => error.field)).toContain('complianceEmail');
      const same = await provision({ slug, name: 'Initech', adminEmail: `boss@${slug}.test`, complianceEmail: `BOSS@${slug}.test` });
      expect(same.statusCode).toBe(400);
    });
  });

  describe('passwords', () => {
    it('refuses an administrator setting a compliance officer’s password with 403', async () => {
      for (const who of ['compliance', 'both']) {
        const response = await patchUser('admin', tenant.users[who].id, { password: NEW_PASSWORD });
        expect(response.statusCode).toBe(403);
        expect((await login(tenant.users[who].email, NEW_PASSWORD)).statusCode).toBe(401);
      }
    });

    it('refuses setting the password of someone awaiting COMPLIANCE, so the account approved is not the administrator’s', async () => {
      const eve = await newEmployee('eve');
      expect((await patchUser('admin', eve.id, { roles: ['EMPLOYEE', 'COMPLIANCE'], password: NEW_PASSWORD })).statusCode).toBe(403);
      await patchUser('admin', eve.id, { roles: ['EMPLOYEE', 'COMPLIANCE'] });
      expect((await patchUser('admin', eve.id, { password: NEW_PASSWORD })).statusCode).toBe(403);
      expect((await login(eve.email, NEW_PASSWORD)).statusCode).toBe(401);
    });

    it('ends every session of a reset user, audits the reset and allows only a password change until they choose their own', async () => {
      const carol = tenant.users.carol;
      const otherSession = (await login(carol.email)).json().accessToken;
      expect((await patchUser('admin', carol.id, { password: NEW_PASSWORD })).json().mustChangePassword).toBe(true);
      for (const token of [carol.token, otherSession]) expect((await test.request({ method: 'GET', url: '/api/v1/me', token })).statusCode).toBe(401);

      const relogin = await login(carol.email, NEW_PASSWORD);
      expect(relogin.statusCode).toBe(200);
      expect(relogin.json().user.mustChangePassword).toBe(true);
      const token = relogin.json().accessToken;
      const blocked = await test.request({ method: 'GET', url: '/api/v1/conversations', token });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().passwordChangeRequired).toBe(true);
      expect((await test.request({ method: 'GET', url: '/api/v1/events', token })).statusCode).toBe(403);
      expect((await test.request({ method: 'GET', url: '/api/v1/me', token })).statusCode).toBe(200);

      const changed = await test.request({
        method: 'PUT',
        url: '/api/v1/me/password',
        token,
        payload: { currentPassword: NEW_PASSWORD, newPassword: 'carol-chose-this-one' },
      });
      expect(changed.statusCode).toBe(204);
      expect((await test.request({ method: 'GET', url: '/api/v1/conversations', token })).statusCode).toBe(200);
      expect((await test.request({ method: 'GET', url: '/api/v1/me', token })).json().mustChangePassword).toBe(false);

      const resets = (await auditActions(carol.id)).filter((entry) => entry.action === 'PASSWORD_CHANGED');
      expect(resets.map((entry) => entry.actorId)).toEqual([tenant.users.admin.id, carol.id]);
    });
  });
});
