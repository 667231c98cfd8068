import { DEFAULT_POLICY_SETTINGS } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import { CACHE_CHANNEL, ChangeFeed } from '../src/common/database/change-feed';
import { TenantDb } from '../src/common/database/database.module';
import { PolicyCache } from '../src/modules/policy/policy-cache';
import { startDatabaseProxy, type DatabaseProxy } from './fixtures/database-proxy';
import { createTenant, requireEnv, startTestApp, type TestApp, type TestTenant } from './test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * docs/architecture.md "Caches": a cached value is dropped by the notification its change sends at
 * commit, and everything is dropped when the listener was away. A read that such a notification
 * (or a gap in listening) overtook must be used once and not kept, or the stale value would stay
 * cached with nothing left to drop it. The policy cache stands for the three caches here.
 */
describe('a cache read overtaken by an invalidation', () => {
  const appUrl = requireEnv('TEST_APP_DATABASE_URL');
  let proxy: DatabaseProxy;
  let test: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    proxy = await startDatabaseProxy(appUrl);
    // Requests reach the database directly; only the listener goes through the proxy, so it alone can be cut.
    test = await startTestApp({ LISTEN_DATABASE_URL: proxy.through(appUrl), DB_CONNECT_TIMEOUT_MS: '1000' });
    tenant = await createTenant(test, { admin: ['ADMIN'] });
  });
  afterAll(async () => {
    await test.close();
    await proxy.close();
  });

  const feed = () => test.app.get(ChangeFeed);
  const cache = () => test.app.get(PolicyCache);
  const inTenant = <T>(work: (tx: SqlTx) => Promise<T>) => test.app.get(TenantDb).sql({ tenantId: tenant.id }, work);

  async function publishNewVersion(): Promise<number> {
    const current = (await test.request({ method: 'GET', url: '/api/v1/policy', token: tenant.users.admin.token })).json<{
      version: number;
      settings: { graceSeconds: number };
    }>();
    const graceSeconds = current.settings.graceSeconds === 5 ? 6 : 5;
    const written = await test.request({
      method: 'PUT',
      url: '/api/v1/policy',
      token: tenant.users.admin.token,
      payload: { expectedVersion: current.version, settings: { ...DEFAULT_POLICY_SETTINGS, graceSeconds } },
    });
    expect(written.statusCode).toBe(200);
    return written.json<{ version: number }>().version;
  }

  /** A transaction whose first answer arrives only after `meanwhile` has run (a slow network, made repeatable). */
  const answeringLate = (tx: SqlTx, meanwhile: () => Promise<void>): SqlTx => {
    let first = true;
    return {
      $queryRaw: async (query, ...values) => {
        const rows = await tx.$queryRaw(query, ...values);
        if (first) {
          first = false;
          await meanwhile();
        }
        return rows as never;
      },
      $executeRaw: (query, ...values) => tx.$executeRaw(query, ...values),
    };
  };

  beforeEach(() => cache().drop(tenant.id));

  async function untilListening(): Promise<void> {
    for (let i = 0; i < 200 && !feed().listening; i++) await sleep(50);
    expect(feed().listening).toBe(true);
  }

  it('is not kept when the change it missed was notified while it was being read', async () => {
    await untilListening();
    const heard = new Promise<void>((resolve) => feed().subscribe(CACHE_CHANNEL, (payload) => payload === `policy:${tenant.id}` && resolve()));
    let newer = 0;
    const read = await inTenant((tx) =>
      cache().current(
        answeringLate(tx, async () => {
          newer = await publishNewVersion();
          await heard;
        }),
        tenant.id,
      ),
    );
    expect(read.version).toBe(newer - 1);
    expect((await inTenant((tx) => cache().current(tx, tenant.id))).version).toBe(newer);
  });

  it('is not kept when the listener was lost and back while it was being read', async () => {
    await untilListening();
    let newer = 0;
    const read = await inTenant((tx) =>
      cache().current(
        answeringLate(tx, async () => {
          await proxy.cut();
          while (feed().listening) await sleep(20);
          // Notified while nobody listened: this replica never hears of it.
          newer = await publishNewVersion();
          await proxy.restore();
          await untilListening();
        }),
        tenant.id,
      ),
    );
    expect(read.version).toBe(newer - 1);
    expect((await inTenant((tx) => cache().current(tx, tenant.id))).version).toBe(newer);
  });
});
