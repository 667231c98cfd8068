import fc from 'fast-check';
import { createServiceAccount } from './integration-fixtures';
import { createTenant, startTestApp, type TestApp } from './test-app';

/**
 * Whatever a SCIM client sends, /scim/v2 answers in SCIM's shape and never with a 5xx: random
 * filters, PATCH operations (ops, paths, values of any JSON type), and User and Group documents.
 */
describe('SCIM robustness', () => {
  let test: TestApp;
  let token: string;
  let userId: string;
  let groupId: string;
  const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

  const scim = (method: string, url: string, payload?: unknown) =>
    test.app.inject({
      method: method as 'GET',
      url: `/scim/v2${url}`,
      headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
      payload: payload === undefined ? undefined : JSON.stringify(payload),
    });
  const answersScim = (response: Awaited<ReturnType<typeof scim>>) => {
    expect(response.statusCode).toBeLessThan(500);
    if (response.statusCode === 204) return;
    expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
    const body = response.json<{ schemas: string[] }>();
    expect(Array.isArray(body.schemas)).toBe(true);
  };

  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', '\u0000', '\ud800', 'a@b.c', 'True', 'False'),
  );
  const value = fc.oneof(text, fc.jsonValue({ maxDepth: 2 }), fc.array(fc.record({ value: text, display: text }, { requiredKeys: [] }), { maxLength: 3 }));
  const path = fc.oneof(
    fc.constantFrom(
      'active',
      'userName',
      'externalId',
      'displayName',
      'emails',
      'emails[type eq "work"].value',
      'members',
      'name.givenName',
      'title',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
    ),
    text.map((id) => `members[value eq ${JSON.stringify(id)}]`),
    text,
  );
  const operation = fc.record(
    {
      op: fc.oneof(fc.constantFrom('add', 'Add', 'remove', 'Remove', 'replace', 'Replace'), text),
      path: fc.option(path, { nil: undefined }),
      value: fc.option(value, { nil: undefined }),
    },
    { requiredKeys: ['op'] },
  );
  const patch = fc.record({
    schemas: fc.oneof(fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']), fc.array(text, { maxLength: 2 })),
    Operations: fc.array(operation, { maxLength: 4 }),
  });

  beforeAll(async () => {
    test = await startTestApp({ SERVICE_ACCOUNT_REQUESTS_PER_MINUTE: '100000', RATE_LIMIT_REQUESTS_PER_MINUTE: '100000' });
    const tenant = await createTenant(test, { admin: ['ADMIN'] });
    token = (await createServiceAccount(test, tenant.users.admin, ['scim'])).token;
    userId = (await scim('POST', '/Users', { userName: `fuzz@${tenant.slug}.test` })).json<{ id: string }>().id;
    groupId = (await scim('POST', '/Groups', { displayName: 'Fuzz', members: [{ value: userId }] })).json<{ id: string }>().id;
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers any filter, startIndex and count', async () => {
    const filter = fc.oneof(
      text,
      fc
        .tuple(fc.constantFrom('userName', 'externalId', 'displayName', 'USERNAME', 'emails.value'), fc.constantFrom('eq', 'EQ', 'ne', 'co', 'pr'), text)
        .map(([a, o, v]) => `${a} ${o} ${JSON.stringify(v)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/Users', '/Groups'),
        filter,
        fc.option(fc.integer({ min: -5, max: 1e9 }).map(String), { nil: undefined }),
        fc.option(text, { nil: undefined }),
        async (resource, f, start, count) => {
          const query = new URLSearchParams({ filter: f, ...(start ? { startIndex: start } : {}), ...(count !== undefined ? { count } : {}) });
          answersScim(await scim('GET', `${resource}?${query.toString()}`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers any PATCH of a user and of a group', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), patch, async (onUser, body) => {
        answersScim(await scim('PATCH', onUser ? `/Users/${userId}` : `/Groups/${groupId}`, body));
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any User or Group document', async () => {
    const document = fc.record(
      {
        userName: text,
        displayName: text,
        externalId: fc.oneof(text, fc.constant(null)),
        active: value,
        emails: fc.oneof(value, fc.array(fc.record({ value: text, primary: value, type: text }), { maxLength: 2 })),
        members: value,
        name: value,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST /Users', 'POST /Groups', `PUT /Users`, 'PUT /Groups'), document, async (route, body) => {
        const [method, resource] = route.split(' ');
        answersScim(await scim(method, method === 'PUT' ? `${resource}/${resource === '/Users' ? userId : groupId}` : resource, body));
      }),
      { numRuns: RUNS },
    );
  });
});
