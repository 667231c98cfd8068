import { verifyExport } from '@retract/audit-log';
import { URL_WHITESPACE_ERROR } from '@retract/contracts';
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
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: '100000', AUDIT_CHECKPOINT_SECONDS: '3600', WEBHOOK_ALLOWED_TARGETS: '127.0.0.2/32' });
    tenant = await createTenant(test);
  });
  afterAll(() => test.close());

  const expectProblem = (response: Awaited<ReturnType<TestApp['request']>>, status: number) => {
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(response.json()).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  };

  it.each([
    ['a percent-encoded lone surrogate in a path parameter', '/api/v1/messages/%ED%A0%80'],
    ['broken percent-encoding in a path parameter', '/api/v1/messages/%E0%A4%A'],
    ['a path parameter over the router limit', `/api/v1/messages/${'x'.repeat(300)}`],
  ])('answers %s (refused by the router before any route runs) with a 400 problem', async (_name, url) => {
    expectProblem(await test.request({ method: 'GET', url, token: tenant.users.alice.token }), 400);
  });

  it.each([
    ['a year before PostgreSQL timestamps', '-271821-04-20T00:00:00.000Z|00000000-0000-4000-8000-000000000000'],
    ['a six-digit year', '+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000'],
    ['an id that is not a uuid', '2026-01-01T00:00:00.000Z|not-a-uuid'],
    ['no id', '2026-01-01T00:00:00.000Z'],
  ])('refuses a list cursor with %s (conversations, messages, webhook deliveries) with a 400 naming it', async (_name, position) => {
    const cursor = Buffer.from(position).toString('base64url');
    const conversation = (
      await test.request({
        method: 'POST',
        url: '/api/v1/conversations',
        token: tenant.users.alice.token,
        payload: { kind: 'DIRECT', memberIds: [tenant.users.bob.id] },
      })
    ).json().id;
    const webhook = (
      await test.request({
        method: 'POST',
        url: '/api/v1/webhooks',
        token: tenant.users.admin.token,
        payload: { url: 'https://127.0.0.2/hook', eventTypes: ['message.created'] },
      })
    ).json().id;
    for (const [url, person] of [
      [`/api/v1/conversations?cursor=${cursor}`, 'alice'],
      [`/api/v1/conversations/${conversation}/messages?cursor=${cursor}`, 'alice'],
      [`/api/v1/webhooks/${webhook}/deliveries?cursor=${cursor}`, 'admin'],
    ] as const) {
      const response = await test.request({ method: 'GET', url, token: tenant.users[person].token });
      expectProblem(response, 400);
      expect({ url, errors: response.json().errors }).toEqual({ url, errors: [expect.objectContaining({ field: 'query.cursor', code: 'invalid_cursor' })] });
    }
  });

  it.each([
    ['a truncated four-byte sequence (as long as the U+FFFD that replaced it)', [0xf0, 0x9f, 0x99]],
    ['a stray 0xFF', [0xff]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses a JSON body with %s (not UTF-8) with 400 MALFORMED_JSON instead of storing U+FFFD', async (_name, bytes) => {
    const payload = Buffer.concat([Buffer.from('{"scope":"TENANT","matter":"a'), Buffer.from(bytes), Buffer.from('b"}')]);
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/v1/legal-holds',
      headers: { authorization: `Bearer ${tenant.users.compliance.token}`, 'content-type': 'application/json' },
      payload,
    });
    expectProblem(response, 400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_JSON', detail: 'The request body is not valid UTF-8.' });
    const holds = (await test.request({ method: 'GET', url: '/api/v1/legal-holds', token: tenant.users.compliance.token })).json().items;
    expect(holds.filter((hold: { matter: string }) => hold.matter.includes('\ufffd'))).toEqual([]);
  });

  it('still reads UTF-8 JSON with a charset parameter, and refuses an empty one as before', async () => {
    const matter = 'Fall 撤回 🙈 \u202eevil';
    const placed = await test.app.inject({
      method: 'POST',
      url: '/api/v1/legal-holds',
      headers: { authorization: `Bearer ${tenant.users.compliance.token}`, 'content-type': 'application/json; charset=utf-8' },
      payload: Buffer.from(JSON.stringify({ scope: 'TENANT', matter })),
    });
    expect({ status: placed.statusCode, matter: placed.json().matter }).toEqual({ status: 201, matter });
    const empty = await test.app.inject({
      method: 'POST',
      url: '/api/v1/legal-holds',
      headers: { authorization: `Bearer ${tenant.users.compliance.token}`, 'content-type': 'application/json' },
      payload: '',
    });
    expectProblem(empty, 400);
    expect(empty.json().code).toBe('MALFORMED_JSON');
  });

  it('reads an empty body declared as JSON on a DELETE as no body (clients send Content-Type on every request)', async () => {
    const placed = await test.request({
      method: 'POST',
      url: '/api/v1/legal-holds',
      token: tenant.users.compliance.token,
      payload: { scope: 'TENANT', matter: 'empty body' },
    });
    const released = await test.app.inject({
      method: 'DELETE',
      url: `/api/v1/legal-holds/${placed.json().id}`,
      headers: { authorization: `Bearer ${tenant.users.compliance.token}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(released.statusCode).toBeLessThan(300);
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

  it.each([
    ['surrounding whitespace', 'https://hooks.example.test/x '],
    ['a line break inside', 'https://hooks.example.test/a\nb'],
    ['a tab inside', 'https://hooks.example.test/a\tb'],
  ])('refuses a webhook URL and an attachment URL with %s rather than storing it changed', async (_name, url) => {
    const webhook = await test.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token: tenant.users.admin.token,
      payload: { url, eventTypes: ['message.created'] },
    });
    expectProblem(webhook, 400);
    expect(webhook.json().errors).toEqual([expect.objectContaining({ field: 'url', message: URL_WHITESPACE_ERROR })]);
    const conversation = (
      await test.request({
        method: 'POST',
        url: '/api/v1/conversations',
        token: tenant.users.alice.token,
        payload: { kind: 'DIRECT', memberIds: [tenant.users.bob.id] },
      })
    ).json().id;
    const attachment = { name: 'a.pdf', size: 1, mimeType: 'application/pdf', sha256: 'a'.repeat(64), url };
    const sent = await test.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversation}/messages`,
      token: tenant.users.alice.token,
      payload: { type: 'FILE', attachment },
    });
    expectProblem(sent, 400);
    expect(sent.json().errors).toEqual([expect.objectContaining({ field: 'attachment.url', message: URL_WHITESPACE_ERROR })]);
  });
});
