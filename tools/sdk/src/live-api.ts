import type { ServiceAccountScope } from '@retract/contracts';
import { createRetractClient, ok } from '@retract/sdk';
import { createTenant, startTestApp, type TestApp, type TestTenant } from '../../../apps/api/test/test-app';

/** The API started in this process on a real, free loopback port: clients reach it over HTTP as they would in production. */
export async function startLiveApi(overrides: Record<string, string> = {}): Promise<{ test: TestApp; url: string }> {
  const test = await startTestApp(overrides);
  try {
    await test.app.listen(0, '127.0.0.1');
  } catch (error) {
    await test.close();
    throw error;
  }
  return { test, url: (await test.app.getUrl()).replace('[::1]', '127.0.0.1') };
}

export interface LiveIntegration {
  test: TestApp;
  url: string;
  tenant: TestTenant;
  /** The service account's token, as the admin was shown it once. */
  token: string;
}

/** Where a chat system's integration starts: a live API, a new organisation on it and a service account its admin created. */
export async function startLiveIntegration(account: { name: string; scopes: ServiceAccountScope[] }): Promise<LiveIntegration> {
  const { test, url } = await startLiveApi();
  try {
    const tenant = await createTenant(test);
    const { token } = ok(await createRetractClient({ baseUrl: url, token: tenant.users.admin.token }).POST('/api/v1/service-accounts', { body: account }));
    return { test, url, tenant, token };
  } catch (error) {
    await test.close();
    throw error;
  }
}
