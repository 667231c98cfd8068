import { abilityFor } from '@retract/authz';
import type { Role } from '@retract/contracts';
import { describeAccess } from '../src/common/endpoint/endpoint';
import { RouteCatalog, type CatalogRoute } from '../src/modules/openapi/route-catalog';
import { createTenant, startTestApp, type TestApp, type TestTenant } from './test-app';

/**
 * Who can reach which route is a reviewed decision: any change to a route's declared access
 * changes this snapshot. Then every route is called by every role to prove the guard enforces it.
 */
describe('endpoint permissions', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let routes: CatalogRoute[];

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createTenant(test, { admin: ['ADMIN'], compliance: ['COMPLIANCE'], employee: ['EMPLOYEE'] });
    routes = test.app.get(RouteCatalog).routes();
  });
  afterAll(() => test.close());

  it('declares access on every route', () => {
    expect(routes.filter((route) => !route.spec).map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('matches the reviewed permission snapshot', () => {
    expect(routes.map((route) => `${route.method.padEnd(6)} ${route.path.padEnd(40)} ${describeAccess(route.spec!.access)}`)).toMatchSnapshot();
  });

  it('enforces each declaration for every role', async () => {
    const roles: [string, Role][] = [['admin', 'ADMIN'], ['compliance', 'COMPLIANCE'], ['employee', 'EMPLOYEE']];
    const mismatches: string[] = [];
    for (const route of routes) {
      const access = route.spec!.access;
      if (access.kind === 'public' || access.kind === 'platform') continue;
      const url = route.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const anonymous = await test.request({ method: route.method, url });
      if (anonymous.statusCode !== 401) mismatches.push(`${route.method} ${route.path} anonymous -> ${anonymous.statusCode}`);
      for (const [name, role] of roles) {
        const user = tenant.users[name];
        const allowed = access.kind === 'authenticated' || abilityFor({ userId: user.id, tenantId: tenant.id, roles: [role] }).can(access.action, access.subject);
        if (route.method === 'POST' && route.path.endsWith('/logout')) continue;
        const response = await test.request({ method: route.method, url, token: user.token, payload: route.method === 'GET' ? undefined : {} });
        const refused = response.statusCode === 403;
        if (refused === allowed || response.statusCode >= 500) mismatches.push(`${route.method} ${route.path} as ${role} -> ${response.statusCode}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
