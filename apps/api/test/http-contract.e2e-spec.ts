import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

describe('HTTP contract: problems, headers, operations', () => {
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    test = await startTestApp({ BODY_LIMIT_BYTES: '4096', PLATFORM_TOKEN: 'platform-token-platform-token-platform-token' });
    tenant = await createTenant(test);
  });
  afterAll(() => test.close());

  const expectProblem = (response: Awaited<ReturnType<TestApp['request']>>, status: number, code: string) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ status, code, type: expect.stringContaining('https://'), title: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|prisma|SELECT |node_modules/i);
    return body;
  };

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{"tenant": "acme",',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400, 'MALFORMED_JSON');
  });

  it('answers an oversized body with 413', async () => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: 'acme', email: 'a@b.test', password: 'x'.repeat(10_000) },
    });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'])('answers a %s body with 415', async (type) => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: 'tenant=acme&email=a@b.test&password=x',
      headers: { 'content-type': type },
    });
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a login posted from another site (login CSRF)', async () => {
    const response = await test.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenant: tenant.slug, email: tenant.users.alice.email, password: 'whatever-it-is' },
      headers: { origin: 'https://evil.example' },
    });
    expectProblem(response, 403, 'FORBIDDEN');
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await test.request({ method: 'GET', url: '/api/v1/no-such-thing' }), 404, 'NOT_FOUND');
  });

  it('rejects unknown fields and names them', async () => {
    const body = expectProblem(
      await test.request({
        method: 'PATCH',
        url: `/api/v1/users/${tenant.users.alice.id}`,
        token: tenant.users.admin.token,
        payload: { displayName: 'A', admin: true },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.errors).toEqual([expect.objectContaining({ field: 'admin' })]);
  });

  it('sends security headers and a request id', async () => {
    const response = await test.request({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('allows CORS only from the console origin', async () => {
    const allowed = await test.request({
      method: 'OPTIONS',
      url: '/api/v1/me',
      headers: { origin: test.config.CONSOLE_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe(test.config.CONSOLE_ORIGIN);
    const denied = await test.request({
      method: 'OPTIONS',
      url: '/api/v1/me',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reports liveness, readiness and Prometheus metrics', async () => {
    expect((await test.request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await test.request({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ok' });
    const metrics = await test.request({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toContain('retract_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('retract_process_cpu_user_seconds_total');
  });

  it('publishes an OpenAPI 3.1 document generated from the request schemas, and a docs page', async () => {
    const document = (await test.request({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    const login = document.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['tenant', 'email', 'password']);
    expect(login.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(document.paths['/api/v1/users/{id}'].patch['x-required-access']).toBe('update User');
    const docs = await test.request({ method: 'GET', url: '/api/docs' });
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.body).toContain('swagger-ui');
    const asset = await test.request({ method: 'GET', url: '/api/docs/assets/swagger-ui-bundle.js' });
    expect(asset.statusCode).toBe(200);
  });

  describe('platform provisioning', () => {
    const token = 'platform-token-platform-token-platform-token';
    const create = (slug: string, auth?: string, extra: Record<string, unknown> = {}) =>
      test.request({
        method: 'POST',
        url: '/api/v1/platform/tenants',
        payload: { slug, name: 'Initech', adminEmail: `boss@${slug}.test`, complianceEmail: `officer@${slug}.test`, ...extra },
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      });

    it('creates an organisation and its first admin, printing a one-time password', async () => {
      const slug = `initech-${Date.now()}`;
      const response = await create(slug, token);
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body.tenant.slug).toBe(slug);
      expect(body.generatedPassword).toHaveLength(24);
      const login = await test.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenant: slug, email: `boss@${slug}.test`, password: body.generatedPassword },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json().user.roles).toEqual(['ADMIN']);
      expect((await create(slug, token)).statusCode).toBe(409);
    });

    it('refuses without the platform token, and user tokens do not count', async () => {
      expect((await create('nope-a')).statusCode).toBe(401);
      expect((await create('nope-b', tenant.users.admin.token)).statusCode).toBe(401);
    });

    it('is switched off when PLATFORM_TOKEN is unset', async () => {
      const off = await startTestApp({ PLATFORM_TOKEN: '' });
      try {
        expect(
          (await off.request({ method: 'POST', url: '/api/v1/platform/tenants', payload: {}, headers: { authorization: `Bearer ${token}` } })).statusCode,
        ).toBe(404);
      } finally {
        await off.close();
      }
    });
  });
});
