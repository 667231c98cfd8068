import { createRetractClient, ok } from '@retract/sdk';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestApp, TestTenant } from '../../../apps/api/test/test-app';
import { startLiveIntegration } from './live-api';

const ROOT = join(__dirname, '../../..');
const EXAMPLE = 'libs/sdk/examples/record-recall.ts';

/**
 * The SDK example of docs/integration.md ("SDK") run exactly as the docs say, from the repository's
 * root against a running API, so the example and the docs cannot drift from the SDK.
 */
describe('the SDK example', () => {
  let test: TestApp;
  let url: string;
  let tenant: TestTenant;
  let token: string;

  beforeAll(async () => {
    ({ test, url, tenant, token } = await startLiveIntegration({ name: 'mychat', scopes: ['recall:decide', 'recall:record'] }));
  });
  afterAll(() => test?.close());

  // Asynchronous: the API answering the example runs in this process.
  const run = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['-r', '@swc-node/register', EXAMPLE], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });

  it('records a recall that compliance then finds in the audit log', async () => {
    const { stdout } = await run({ RETRACT_URL: url, RETRACT_TOKEN: token });
    const [, seq] = /^audit entry (\d+), leaf \S+$/m.exec(stdout) ?? [];
    expect(seq).toBeDefined();
    const entry = ok(
      await createRetractClient({ baseUrl: url, token: tenant.users.compliance.token }).GET('/api/v1/audit/{seq}', { params: { path: { seq: Number(seq) } } }),
    );
    expect(entry).toMatchObject({ action: 'MESSAGE_RECALLED', source: 'mychat', serviceAccount: { name: 'mychat' } });
  }, 90_000);

  it('says what it needs when run without RETRACT_URL and RETRACT_TOKEN', async () => {
    await expect(run({})).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('RETRACT_TOKEN') });
  }, 90_000);
});
