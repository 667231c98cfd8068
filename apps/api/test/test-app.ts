import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Role } from '@retract/contracts';
import { createDb, type Db } from '@retract/db';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../src/config/config';
import { createApp } from '../src/http-server';
import { provisionTenant } from '../src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../src/modules/tenants/tenant-initializers';
import { hashPassword } from '../src/modules/auth/passwords';
import { DB } from '../src/common/database/database.module';

export const PASSWORD = 'correct horse battery staple';

export function requireEnv(name: 'TEST_APP_DATABASE_URL' | 'TEST_OWNER_DATABASE_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, which prepares a fresh database`);
  return value;
}

/**
 * Apps and owner connections this test file opened. A spec whose own teardown throws before it
 * closes its app (or that forgets to) would leave its pools and LISTEN connection open, and the
 * Jest worker could then never exit ("failed to exit gracefully and has been force exited"). So
 * after the file's own hooks (specs close in `describe`-level afterAll hooks, which run first),
 * whatever is still open is closed here, and an app left open fails the file.
 */
const openApps = new Set<TestApp>();
const ownerConnections = new Set<Db>();
afterAll(async () => {
  const left = [...openApps];
  await Promise.all([...left.map((test) => test.close()), ...[...ownerConnections].map((db) => db.$disconnect())]);
  ownerConnections.clear();
  if (left.length > 0) throw new Error(`${left.length} test app(s) were not closed by the spec (closed after it instead)`);
});

export interface TestApp {
  app: NestFastifyApplication;
  config: Config;
  db: Db;
  request: (options: {
    method: string;
    url: string;
    token?: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }) => ReturnType<NestFastifyApplication['inject']>;
  close: () => Promise<void>;
}

export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    ...process.env,
    APP_DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL'),
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    AUDIT_KEK: process.env.AUDIT_KEK ?? randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
    DB_POOL_SIZE: '4',
    ...overrides,
  });
  const app = await createApp(config);
  try {
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const test: TestApp = {
    app,
    config,
    db: app.get<Db>(DB),
    request: ({ method, url, token, payload, headers }) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined && typeof payload !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
      }),
    close: () => {
      openApps.delete(test);
      return (closed ??= app.close());
    },
  };
  openApps.add(test);
  return test;
}

export interface TestUser {
  id: string;
  email: string;
  roles: Role[];
  token: string;
}

export interface TestTenant {
  id: string;
  slug: string;
  users: Record<string, TestUser>;
}

export const uniqueSlug = (prefix = 't') => `${prefix}-${randomBytes(5).toString('hex')}`;

/**
 * A fresh organisation with one user per named role set, each logged in through the real login route.
 * Default: admin (ADMIN), compliance (COMPLIANCE), alice and bob (EMPLOYEE).
 */
export async function createTenant(
  test: TestApp,
  people: Record<string, Role[]> = { admin: ['ADMIN'], compliance: ['COMPLIANCE'], alice: ['EMPLOYEE'], bob: ['EMPLOYEE'] },
): Promise<TestTenant> {
  const slug = uniqueSlug();
  const [firstName, firstRoles] = Object.entries(people).find(([, roles]) => roles.includes('ADMIN')) ?? ['admin', ['ADMIN'] as Role[]];
  const provisioned = await provisionTenant(
    test.db,
    { slug, name: `Test ${slug}`, locale: 'en', adminEmail: `${firstName}@${slug}.test`, adminName: firstName, adminPassword: PASSWORD },
    TENANT_INITIALIZERS,
  );
  const tenantId = provisioned.tenant.id;
  const passwordHash = await hashPassword(PASSWORD);
  const ownerDb = test.db;
  await ownerDb.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
    if (firstRoles.length > 1) await tx.user.update({ where: { tenantId_id: { tenantId, id: provisioned.admin.id } }, data: { roles: firstRoles } });
    for (const [name, roles] of Object.entries(people)) {
      if (name === firstName) continue;
      await tx.user.create({ data: { tenantId, email: `${name}@${slug}.test`, displayName: name, roles, passwordHash } });
    }
  });
  const users: Record<string, TestUser> = {};
  for (const [name, roles] of Object.entries(people)) {
    const email = `${name}@${slug}.test`;
    const response = await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant: slug, email, password: PASSWORD } });
    if (response.statusCode !== 200) throw new Error(`login of ${email} failed: ${response.body}`);
    const body = response.json<{ accessToken: string; user: { id: string } }>();
    users[name] = { id: body.user.id, email, roles, token: body.accessToken };
  }
  return { id: tenantId, slug, users };
}

/**
 * A first sign-in of someone an administrator created through `POST /users`: that password is the
 * administrator's, so they choose their own before anything else (docs/architecture.md, "Password resets").
 * Answers the session token, which keeps working after the change, and the password chosen.
 */
export async function signInChoosingOwnPassword(
  test: TestApp,
  tenant: string,
  email: string,
  adminPassword: string,
): Promise<{ token: string; password: string }> {
  const login = await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant, email, password: adminPassword } });
  if (login.statusCode !== 200) throw new Error(`login of ${email} failed: ${login.body}`);
  const token = login.json<{ accessToken: string }>().accessToken;
  const password = `${adminPassword} (own choice)`;
  const changed = await test.request({ method: 'PUT', url: '/api/v1/me/password', token, payload: { currentPassword: adminPassword, newPassword: password } });
  if (changed.statusCode !== 204) throw new Error(`password change of ${email} failed: ${changed.body}`);
  return { token, password };
}

export function ownerDb(): Db {
  const db = createDb({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL'), maxConnections: 2 });
  ownerConnections.add(db);
  return db;
}
