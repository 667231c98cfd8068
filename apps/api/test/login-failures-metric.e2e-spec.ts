import { PASSWORD, createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

/** Operators alert on `retract_login_failures_total`: every refused login counts once, by reason. */
describe('login failures metric', () => {
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    test = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' });
    tenant = await createTenant(test, { admin: ['ADMIN'], alice: ['EMPLOYEE'], carol: ['EMPLOYEE'] });
  });
  afterAll(() => test.close());

  const failures = async (): Promise<Record<string, number>> => {
    const metrics = await test.request({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    const counts: Record<string, number> = {};
    for (const [, reason, value] of metrics.body.matchAll(/^retract_login_failures_total\{reason="([a-z_]+)"\} (\d+)$/gm)) counts[reason] = Number(value);
    return counts;
  };
  const login = (tenantSlug: string, email: string, password: string) =>
    test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: tenantSlug, email, password } });

  it('counts wrong passwords, unknown users, unknown organisations and deactivated accounts alike, and throttled attempts apart', async () => {
    const { admin, carol } = tenant.users;
    const deactivated = await test.request({ method: 'PATCH', url: `/api/v1/users/${carol.id}`, token: admin.token, payload: { active: false } });
    expect(deactivated.statusCode).toBe(200);
    const before = await failures();
    expect(before).toEqual({
      invalid_credentials: expect.any(Number),
      sso_required: expect.any(Number),
      sso_refused: expect.any(Number),
      throttled: expect.any(Number),
    });
    const alice = tenant.users.alice.email;
    const statuses = [
      (await login(tenant.slug, `nobody@${tenant.slug}.test`, PASSWORD)).statusCode,
      (await login('no-such-organisation', alice, PASSWORD)).statusCode,
      (await login(tenant.slug, carol.email, PASSWORD)).statusCode,
      (await login(tenant.slug, alice, 'wrong password')).statusCode,
      (await login(tenant.slug, alice, 'wrong password')).statusCode,
      (await login(tenant.slug, alice, PASSWORD)).statusCode,
    ];
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await failures()).toEqual({
      invalid_credentials: before.invalid_credentials + 5,
      sso_required: before.sso_required,
      sso_refused: before.sso_refused,
      throttled: before.throttled + 1,
    });
  });

  it('does not count a successful login', async () => {
    const before = await failures();
    expect((await login(tenant.slug, tenant.users.admin.email, PASSWORD)).statusCode).toBe(200);
    expect(await failures()).toEqual(before);
  });
});
