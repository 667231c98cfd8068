import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServiceAccount } from './integration-fixtures';
import { openStream, type SseStream } from './sse-client';
import { PASSWORD, createTenant, ownerDb, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * SCIM 2.0 provisioning (docs/identity.md, "SCIM provisioning") driven over HTTP with the request
 * sequences Okta and Microsoft Entra ID send, in their documented shapes, and every effect checked
 * through the normal API: the user list, sign-in, open event streams, roles, role grants, the audit log.
 */
describe('SCIM provisioning', () => {
  let test: TestApp;
  let baseUrl: string;
  let tenant: TestTenant;
  let scimToken: string;
  let serviceAccountId: string;
  const streams: SseStream[] = [];
  /** Entra ID sends group object ids in the OIDC groups claim: the same id maps the SCIM group through its externalId. */
  const complianceGroupObjectId = randomUUID();

  const scim = (method: string, path: string, options: { payload?: unknown; token?: string | null; headers?: Record<string, string> } = {}) =>
    test.app.inject({
      method: method as 'GET',
      url: `/scim/v2${path}`,
      headers: {
        ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? scimToken}` }),
        accept: 'application/scim+json',
        ...(options.payload !== undefined ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
        ...options.headers,
      },
      payload: options.payload === undefined ? undefined : typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload),
    });
  const api = (method: string, url: string, token: string, payload?: unknown) => test.request({ method, url: `/api/v1${url}`, token, payload });
  const userInList = async (id: string) => {
    const list = await api('GET', '/users?limit=200', tenant.users.admin.token);
    expect(list.statusCode).toBe(200);
    return list.json<{ items: { id: string; email: string; displayName: string; roles: string[]; active: boolean }[] }>().items.find((u) => u.id === id);
  };
  const auditOf = async (subjectUserId: string) => {
    const audit = await api('GET', `/audit?subjectUserId=${subjectUserId}&limit=200`, tenant.users.compliance.token);
    expect(audit.statusCode).toBe(200);
    return audit.json<{ items: { action: string; actorId: string; serviceAccount: { id: string } | null }[] }>().items;
  };
  const expectScimError = (response: Awaited<ReturnType<typeof scim>>, status: number, scimType?: string) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(response.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(status),
      ...(scimType ? { scimType } : {}),
    });
  };

  beforeAll(async () => {
    test = await startTestApp();
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(test.app.getHttpServer().address() as AddressInfo).port}`;
    tenant = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] });
    const account = await createServiceAccount(test, tenant.users.admin, ['scim']);
    scimToken = account.token;
    serviceAccountId = account.id;
    // The organisation's group-to-role mapping, the one the OIDC groups claim goes through (PUT /api/v1/sso sets it: sso.e2e-spec.ts).
    await ownerDb().$executeRaw`
      INSERT INTO group_role_mappings (tenant_id, group_name, role, created_by)
      VALUES (${tenant.id}::uuid, 'Retract Admins', 'ADMIN', ${tenant.users.admin.id}::uuid),
             (${tenant.id}::uuid, ${complianceGroupObjectId}, 'COMPLIANCE', ${tenant.users.admin.id}::uuid)`;
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await test.close();
  });

  describe('Okta (developer.okta.com, "SCIM 2.0 protocol reference" request shapes)', () => {
    const userName = () => `test.user-${randomUUID().slice(0, 8)}@${tenant.slug}.test`;

    it('looks the user up, creates them, finds them by filter and refuses a second userName that differs only in case', async () => {
      const name = userName();
      // Okta checks for the user first: GET /Users?filter=userName eq "…"&startIndex=1&count=100.
      const lookup = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}&startIndex=1&count=100`);
      expect(lookup.statusCode).toBe(200);
      expect(lookup.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(lookup.json()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
      const created = await scim('POST', '/Users', {
        payload: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: name,
          name: { givenName: 'Test', familyName: 'User' },
          emails: [{ primary: true, value: name, type: 'work' }],
          displayName: 'Test User',
          locale: 'en-US',
          externalId: '00ujl29u0le5T6Aj10h7',
          groups: [],
          password: '1mz050nq',
          active: true,
        },
      });
      expect(created.statusCode).toBe(201);
      const user = created.json();
      expect(user).toMatchObject({
        userName: name,
        displayName: 'Test User',
        active: true,
        externalId: '00ujl29u0le5T6Aj10h7',
        emails: [{ value: name, primary: true }],
      });
      expect(created.headers.location).toBe(user.meta.location);
      expect(created.headers.etag).toBe(user.meta.version);
      expect(created.body).not.toContain('1mz050nq');
      expect(await userInList(user.id)).toMatchObject({ email: name, displayName: 'Test User', roles: ['EMPLOYEE'], active: true });

      const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${name.toUpperCase()}"`)}`);
      expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
      const again = await scim('POST', '/Users', {
        payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name.toUpperCase(), emails: [{ value: `other-${name}` }] },
      });
      expectScimError(again, 409, 'uniqueness');
      expect((await auditOf(user.id)).map((e) => [e.action, e.actorId, e.serviceAccount?.id])).toContainEqual([
        'USER_CREATED',
        serviceAccountId,
        serviceAccountId,
      ]);
    });

    it('pushes a group, adds and removes a member (members[value eq]) with the mapped role following, renames and deletes it', async () => {
      const user = (
        await scim('POST', '/Users', { payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: userName(), active: true } })
      ).json();
      const group = await scim('POST', '/Groups', {
        payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Retract Admins', members: [] },
      });
      expect(group.statusCode).toBe(201);
      const groupId = group.json().id;
      const patch = (Operations: unknown[]) =>
        scim('PATCH', `/Groups/${groupId}`, { payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations } });

      const added = await patch([{ op: 'add', path: 'members', value: [{ value: user.id, display: user.userName }] }]);
      expect(added.statusCode).toBe(200);
      expect(added.json().members).toEqual([expect.objectContaining({ value: user.id, display: user.userName })]);
      expect((await userInList(user.id))!.roles.sort()).toEqual(['ADMIN', 'EMPLOYEE']);

      const removed = await patch([{ op: 'remove', path: `members[value eq "${user.id}"]` }]);
      expect(removed.statusCode).toBe(200);
      expect(removed.json().members).toEqual([]);
      expect((await userInList(user.id))!.roles).toEqual(['EMPLOYEE']);

      // Okta renames with a value object carrying the id.
      await patch([{ op: 'add', path: 'members', value: [{ value: user.id }] }]);
      const renamed = await patch([{ op: 'replace', value: { id: groupId, displayName: 'Former Admins' } }]);
      expect(renamed.json().displayName).toBe('Former Admins');
      expect((await userInList(user.id))!.roles).toEqual(['EMPLOYEE']);

      const changes = await api('GET', '/audit?action=SCIM_GROUP_CHANGED&limit=200', tenant.users.compliance.token);
      expect(changes.json().items.filter((e: { actorId: string }) => e.actorId === serviceAccountId).length).toBeGreaterThanOrEqual(5);
      expect((await auditOf(user.id)).filter((e) => e.action === 'ROLE_CHANGED' && e.actorId === serviceAccountId)).toHaveLength(4);

      // Identity providers send Content-Type on every request, also with no body: an empty body is no body.
      expect((await scim('GET', `/Groups/${groupId}`, { headers: { 'content-type': 'application/scim+json' } })).statusCode).toBe(200);
      expect((await scim('DELETE', `/Groups/${groupId}`, { headers: { 'content-type': 'application/scim+json' } })).statusCode).toBe(204);
      expectScimError(await scim('GET', `/Groups/${groupId}`), 404);
    });

    it('deactivates with {"op":"replace","value":{"active":false}}: the account shows inactive and its sessions end', async () => {
      const name = userName();
      const user = (await scim('POST', '/Users', { payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name } })).json();
      const deactivated = await scim('PATCH', `/Users/${user.id}`, {
        payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] },
      });
      expect(deactivated.statusCode).toBe(200);
      expect(deactivated.json().active).toBe(false);
      expect(deactivated.headers.etag).not.toBe(user.meta.version);
      expect((await userInList(user.id))!.active).toBe(false);
      expect((await auditOf(user.id)).map((e) => [e.action, e.actorId])).toContainEqual(['USER_DEACTIVATED', serviceAccountId]);
      // Okta's reactivation is a PUT of the whole user with active true.
      const put = await scim('PUT', `/Users/${user.id}`, {
        payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: name, displayName: 'Back Again', active: true },
      });
      expect(put.json()).toMatchObject({ active: true, displayName: 'Back Again' });
      expect(await userInList(user.id)).toMatchObject({ active: true, displayName: 'Back Again' });
    });
  });

  describe('Microsoft Entra ID (learn.microsoft.com, "Tutorial: Develop and plan provisioning for a SCIM endpoint" request shapes)', () => {
    it('links an existing account, grants COMPLIANCE only as a pending grant, deactivates with "False" ending sessions and the open event stream at once, and deletes', async () => {
      const alice = tenant.users.alice;
      const objectId = randomUUID();
      const query = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${alice.email}"`)}`);
      expect(query.json().totalResults).toBe(0);
      const created = await scim('POST', '/Users', {
        payload: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
          externalId: objectId,
          userName: alice.email,
          active: true,
          emails: [{ primary: true, type: 'work', value: alice.email }],
          meta: { resourceType: 'User' },
          name: { formatted: 'Alice Liddell', familyName: 'Liddell', givenName: 'Alice' },
          roles: [],
        },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ id: alice.id, externalId: objectId, displayName: 'Alice Liddell' });
      const byExternalId = await scim('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${objectId}"`)}`);
      expect(byExternalId.json().Resources.map((u: { id: string }) => u.id)).toEqual([alice.id]);

      const group = await scim('POST', '/Groups', {
        payload: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
          externalId: complianceGroupObjectId,
          displayName: 'Compliance Officers',
          meta: { resourceType: 'Group' },
        },
      });
      expect(group.statusCode).toBe(201);
      const groupId = group.json().id;
      const lookup = await scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Compliance Officers"')}`);
      expect(lookup.json().Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
      const add = await scim('PATCH', `/Groups/${groupId}`, {
        payload: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: alice.id }] }],
        },
      });
      expect(add.statusCode).toBe(200);
      expect((await userInList(alice.id))!.roles).toEqual(['EMPLOYEE']);
      const grants = await api('GET', '/role-grants', tenant.users.compliance.token);
      expect(grants.json().items.find((g: { user: { id: string } }) => g.user.id === alice.id)).toMatchObject({
        role: 'COMPLIANCE',
        state: 'PENDING',
        requestedBy: { id: tenant.users.admin.id },
      });

      const stream = await openStream(baseUrl, alice.token);
      streams.push(stream);
      expect(stream.status).toBe(200);
      const current = await scim('GET', `/Users/${alice.id}`);
      const stale = await scim('PATCH', `/Users/${alice.id}`, {
        headers: { 'if-match': 'W/"0000"' },
        payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
      });
      expectScimError(stale, 412);
      expect((await userInList(alice.id))!.active).toBe(true);

      const started = Date.now();
      const disabled = await scim('PATCH', `/Users/${alice.id}`, {
        headers: { 'if-match': String(current.headers.etag) },
        payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
      });
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json().active).toBe(false);
      // The stream ends on the revocation's notification, not at its 30-second session check.
      await stream.closed;
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await api('GET', '/me', alice.token)).statusCode).toBe(401);
      const login = await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenant.slug, email: alice.email, password: PASSWORD } });
      expect(login.statusCode).toBe(401);
      expect((await userInList(alice.id))!.active).toBe(false);

      expect((await scim('DELETE', `/Users/${alice.id}`, { headers: { 'content-type': 'application/json' } })).statusCode).toBe(204);
      expectScimError(await scim('GET', `/Users/${alice.id}`), 404);
      expect((await scim('GET', `/Groups/${groupId}`)).json().members).toEqual([]);
      const after = await api('GET', '/role-grants', tenant.users.compliance.token);
      expect(after.json().items.find((g: { user: { id: string } }) => g.user.id === alice.id)).toBeUndefined();
      const actions = (await auditOf(alice.id)).filter((e) => e.actorId === serviceAccountId).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['SSO_USER_LINKED', 'DIRECTORY_PERSON_CHANGED', 'USER_DEACTIVATED', 'ROLE_GRANT_REVOKED']));
      // Deleted after its deactivation: the unlinking is still recorded.
      const unlinked = await api('GET', `/audit?subjectUserId=${alice.id}&action=DIRECTORY_PERSON_CHANGED&limit=200`, tenant.users.compliance.token);
      expect(unlinked.json().items.map((e: { details: { change?: string } }) => e.details.change)).toContain('DEPROVISIONED');
    });

    it('updates attributes with Replace paths, including emails[type eq "work"].value, and removes members by value list', async () => {
      const created = await scim('POST', '/Users', {
        payload: {
          userName: `Test_User_${randomUUID().slice(0, 8)}@${tenant.slug}.test`,
          active: true,
          emails: [{ primary: true, type: 'work', value: `first-${randomUUID().slice(0, 6)}@${tenant.slug}.test` }],
        },
      });
      const user = created.json();
      const address = `updated-${randomUUID().slice(0, 6)}@${tenant.slug}.test`;
      const patched = await scim('PATCH', `/Users/${user.id}`, {
        payload: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            { op: 'Replace', path: 'emails[type eq "work"].value', value: address },
            { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
            { op: 'Replace', path: 'displayName', value: 'Updated Name' },
          ],
        },
      });
      expect(patched.statusCode).toBe(200);
      expect(await userInList(user.id)).toMatchObject({ email: address, displayName: 'Updated Name' });
      const group = (await scim('POST', '/Groups', { payload: { displayName: `Team ${randomUUID().slice(0, 6)}`, members: [{ value: user.id }] } })).json();
      const removal = await scim('PATCH', `/Groups/${group.id}`, {
        payload: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: user.id }] }],
        },
      });
      expect(removal.json().members).toEqual([]);
    });
  });

  describe('protocol', () => {
    it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
      const config = await scim('GET', '/ServiceProviderConfig');
      expect(config.statusCode).toBe(200);
      expect(config.json()).toMatchObject({ patch: { supported: true }, etag: { supported: true }, filter: { supported: true }, bulk: { supported: false } });
      expect((await scim('GET', '/ResourceTypes')).json().Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
      expect((await scim('GET', '/Schemas')).json().totalResults).toBe(2);
      expect((await scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).json().name).toBe('User');
    });

    it('pages with startIndex and count', async () => {
      const prefix = `page-${randomUUID().slice(0, 6)}`;
      for (let i = 0; i < 3; i++) await scim('POST', '/Users', { payload: { userName: `${prefix}-${i}@${tenant.slug}.test` } });
      const all = (await scim('GET', '/Users?count=200')).json();
      const first = (await scim('GET', '/Users?startIndex=1&count=2')).json();
      const second = (await scim('GET', '/Users?startIndex=3&count=2')).json();
      expect(first).toMatchObject({ totalResults: all.totalResults, startIndex: 1, itemsPerPage: 2 });
      expect(second).toMatchObject({ totalResults: all.totalResults, startIndex: 3 });
      expect([...first.Resources, ...second.Resources].map((u: { id: string }) => u.id)).toEqual(all.Resources.slice(0, 4).map((u: { id: string }) => u.id));
      expect((await scim('GET', '/Users?count=0')).json()).toMatchObject({ totalResults: all.totalResults, itemsPerPage: 0, Resources: [] });
    });

    it('answers SCIM errors: unsupported filters, malformed bodies, unknown ids, a name taken', async () => {
      expectScimError(await scim('GET', `/Users?filter=${encodeURIComponent('name.familyName eq "x"')}`), 400, 'invalidFilter');
      expectScimError(await scim('GET', `/Users?filter=${encodeURIComponent('userName sw "a"')}`), 400, 'invalidFilter');
      expectScimError(await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "a" or displayName eq "b"')}`), 400, 'invalidFilter');
      expectScimError(await scim('POST', '/Users', { payload: '{"userName":' }), 400, 'invalidSyntax');
      expectScimError(await scim('POST', '/Users', { payload: { displayName: 'no userName' } }), 400, 'invalidValue');
      expectScimError(
        await scim('PATCH', `/Users/${randomUUID()}`, {
          payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] },
        }),
        404,
      );
      expectScimError(await scim('GET', '/Users/not-a-uuid'), 404);
      expectScimError(await scim('GET', '/Bulk'), 404);
      expectScimError(await scim('POST', '/Groups', { payload: { displayName: 'Members unknown', members: [{ value: randomUUID() }] } }), 400, 'invalidValue');
      const name = `Dup ${randomUUID().slice(0, 6)}`;
      expect((await scim('POST', '/Groups', { payload: { displayName: name } })).statusCode).toBe(201);
      expectScimError(await scim('POST', '/Groups', { payload: { displayName: name } }), 409, 'uniqueness');
    });

    it('refuses without a token, with a user’s token, and with a service account lacking the scim scope', async () => {
      const anonymous = await scim('GET', '/Users', { token: null });
      expectScimError(anonymous, 401);
      expect(anonymous.json().detail).toMatch(/service account's token with the scim scope/);
      expectScimError(await scim('GET', '/Users', { token: tenant.users.admin.token }), 403);
      const other = await createServiceAccount(test, tenant.users.admin, ['directory:write']);
      expectScimError(await scim('GET', '/Users', { token: other.token }), 403);
    });

    it('keeps organisations apart: another organisation’s token neither sees nor changes these users and groups', async () => {
      const user = (await scim('POST', '/Users', { payload: { userName: `isolated-${randomUUID().slice(0, 6)}@${tenant.slug}.test` } })).json();
      const group = (await scim('POST', '/Groups', { payload: { displayName: `Isolated ${randomUUID().slice(0, 6)}`, members: [{ value: user.id }] } })).json();
      const otherTenant = await createTenant(test, { admin: ['ADMIN'] });
      const { token } = await createServiceAccount(test, otherTenant.users.admin, ['scim']);
      expectScimError(await scim('GET', `/Users/${user.id}`, { token }), 404);
      expect((await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`, { token })).json().totalResults).toBe(0);
      expectScimError(await scim('DELETE', `/Groups/${group.id}`, { token }), 404);
      expectScimError(await scim('POST', '/Groups', { token, payload: { displayName: 'Theirs', members: [{ value: user.id }] } }), 400, 'invalidValue');
      expect((await scim('GET', `/Groups/${group.id}`)).json().members).toHaveLength(1);
    });

    it('creates one user when two POSTs of the same userName race, and refuses the other 409 uniqueness', async () => {
      const name = `race-${randomUUID().slice(0, 6)}@${tenant.slug}.test`;
      const answers = await Promise.all(
        [name, name.toUpperCase()].map((userName) =>
          scim('POST', '/Users', { payload: { userName, emails: [{ value: `${randomUUID()}@${tenant.slug}.test` }] } }),
        ),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
      expect((await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`)).json().totalResults).toBe(1);
    });

    it('refuses to deactivate the last active administrator (409) and changes nothing', async () => {
      const solo = await createTenant(test, { admin: ['ADMIN'] });
      const { token } = await createServiceAccount(test, solo.users.admin, ['scim']);
      const linked = await scim('POST', '/Users', { token, payload: { userName: solo.users.admin.email } });
      expect(linked.json().id).toBe(solo.users.admin.id);
      const refused = await scim('PATCH', `/Users/${solo.users.admin.id}`, {
        token,
        payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] },
      });
      expectScimError(refused, 409);
      expect((await api('GET', '/me', solo.users.admin.token)).statusCode).toBe(200);
    });
  });

  describe('limits', () => {
    let limited: TestApp;
    afterAll(async () => {
      await limited?.close();
    });

    it('answers a service account past its request budget 429 in the SCIM shape, with Retry-After', async () => {
      limited = await startTestApp({ SERVICE_ACCOUNT_REQUESTS_PER_MINUTE: '3' });
      const owner = await createTenant(limited, { admin: ['ADMIN'] });
      const { token } = await createServiceAccount(limited, owner.users.admin, ['scim']);
      const call = () => limited.app.inject({ method: 'GET', url: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i++) expect((await call()).statusCode).toBe(200);
      const refused = await call();
      expectScimError(refused, 429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
