import { startTestApp, type TestApp } from '../../../apps/api/test/test-app';

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
