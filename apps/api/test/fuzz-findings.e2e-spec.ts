import { verifyExport } from '@retract/audit-log';
import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * What openapi-fuzz.e2e-spec.ts found, each pinned by a deterministic case: 5xx answers and
 * answers that were not RFC 9457 problems, and accepted text that did not read back as sent.
 */
describe('fuzzer findings', () => {
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    // No background checkpoint within the test: the organisation's log is never signed until asked to.
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: '100000', AUDIT_CHECKPOINT_SECONDS: '3600' });
    tenant = await createTenant(test);
  });
  afterAll(() => test.close());

  const expectProblem = (response: Awaited<ReturnType<TestApp['request']>>, status: number) => {
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(response.json()).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  };

  it.each([
    ['a percent-encoded lone surrogate in a path parameter', '/api/v1/messages/%ED%A0%80'],
    ['broken percent-encoding in a path parameter', '/api/v1/messages/%E0%A4%A'],
    ['a path parameter over the router limit', `/api/v1/messages/${'x'.repeat(300)}`],
  ])('answers %s (refused by the router before any route runs) with a 400 problem', async (_name, url) => {
    expectProblem(await test.request({ method: 'GET', url, token: tenant.users.alice.token }), 400);
  });

  it('refuses a policy-versions cursor beyond PostgreSQL integers with a 400 problem, not a 500', async () => {
    const response = await test.request({ method: 'GET', url: '/api/v1/policy/versions?cursor=2590866992603130', token: tenant.users.alice.token });
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
  });

  it('exports and verifies an empty range of a log that was never signed (the export names a key)', async () => {
    const exported = await test.request({ method: 'GET', url: '/api/v1/audit/export?from=2099-01-01T00:00:00Z', token: tenant.users.compliance.token });
    expect(exported.statusCode).toBe(200);
    const lines = exported.body.trim().split('\n');
    expect(JSON.parse(lines[0]).publicKeys).toHaveLength(1);
    expect(await verifyExport(lines)).toMatchObject({ ok: true, problems: [] });
  });

  it('verifies an empty range of a log that was never signed', async () => {
    const fresh = await createTenant(test, { compliance: ['COMPLIANCE'], admin: ['ADMIN'] });
    const newest = (await test.request({ method: 'GET', url: '/api/v1/audit?limit=1', token: fresh.users.compliance.token })).json().items[0]?.seq ?? -1;
    const verified = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: fresh.users.compliance.token, payload: { fromSeq: newest + 1 } });
    expect({ status: verified.statusCode, body: verified.json() }).toEqual({ status: 200, body: expect.objectContaining({ ok: true }) });
  });

  it('refuses a webhook URL with surrounding whitespace rather than storing it trimmed', async () => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token: tenant.users.admin.token,
      payload: { url: 'https://hooks.example.test/x ', eventTypes: ['message.created'] },
    });
    expectProblem(response, 400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'url', message: 'must not begin or end with whitespace' })]);
  });
});
