import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { describeAccess } from '../src/common/endpoint/endpoint';
import { RouteCatalog, inOpenApiDocument, type CatalogRoute } from '../src/modules/openapi/route-catalog';
import { ownerClient } from './audit-fixtures';
import { MATRIX_APP_SETTINGS, TenantWorld } from './matrix-world';
import { ROLES, isOpen, misfit, operationsOf, shapesOf, type Operation } from './route-matrix';
import { startTestApp, type TestApp } from './test-app';

/**
 * Who can reach which route is a reviewed decision: any change to a route's declared access
 * changes this snapshot. Then every route is called by every role, with real data of the role's
 * own organisation, to prove the guard enforces it: a refused role gets 403, an allowed role gets
 * the route's answer — a 401, 404 or 5xx for an allowed role fails as much as a wrong 403.
 */
describe('endpoint permissions', () => {
  let test: TestApp;
  let owner: Client;
  let world: TenantWorld;
  let routes: CatalogRoute[];
  let operations: Operation[];

  beforeAll(async () => {
    test = await startTestApp(MATRIX_APP_SETTINGS);
    owner = await ownerClient();
    world = await TenantWorld.create(test, owner, `permissions-${randomBytes(6).toString('hex')}`);
    routes = test.app.get(RouteCatalog).routes();
    operations = await operationsOf(test);
  }, 60_000);
  afterAll(async () => {
    await owner.end();
    await test.close();
  });

  it('declares access on every route', () => {
    expect(routes.filter((route) => !route.spec).map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('matches the reviewed permission snapshot', () => {
    expect(routes.map((route) => `${route.method.padEnd(6)} ${route.path.padEnd(40)} ${describeAccess(route.spec!.access)}`)).toMatchSnapshot();
  });

  it('publishes the same access in the OpenAPI document', () => {
    // SCIM routes are described by SCIM's own discovery routes instead (route-catalog.ts, inOpenApiDocument).
    const declared = routes
      .filter(inOpenApiDocument)
      .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')} ${describeAccess(route.spec!.access)}`);
    expect(operations.map((operation) => `${operation.key} ${operation.access}`).sort()).toEqual(declared.sort());
  });

  it('enforces each declaration for every role, with the role’s own data', async () => {
    const mismatches: string[] = [];
    let checks = 0;
    for (const operation of operations) {
      for (const shape of shapesOf(operation)) {
        const label = `${operation.key}${shape.variant ? ` [${shape.variant}]` : ''}`;
        const anonymous = await world.call(shape, undefined);
        const anonymousMisfit = isOpen(operation)
          ? misfit(operation, true, anonymous)
          : anonymous.statusCode === 401
            ? undefined
            : `answered ${anonymous.statusCode}`;
        if (anonymousMisfit) mismatches.push(`${label} anonymous: ${anonymousMisfit}`);
        for (const role of ROLES) {
          const problem = misfit(operation, world.mayCall(operation, role), await world.call(shape, role));
          if (problem) mismatches.push(`${label} as ${role}: ${problem}`);
        }
        checks += 1 + ROLES.length;
      }
    }
    expect(checks).toBeGreaterThan(operations.length * ROLES.length);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
