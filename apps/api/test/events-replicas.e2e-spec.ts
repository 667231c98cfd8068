import { startReplicas, stopReplicas, type Replica } from './fixtures/replica-processes';
import { createMessagingTenant, type MessagingTenant } from './messaging-fixtures';
import { openStream, type SseStream } from './sse-client';
import { startTestApp, type TestApp } from './test-app';

/**
 * DESIGN §9: the API is stateless and replicas share events through PostgreSQL LISTEN/NOTIFY.
 * Two real API processes on one database: a recall through one reaches a stream held by the other.
 */
describe('events across two API processes', () => {
  let test: TestApp;
  let tenant: MessagingTenant;
  let apis: Replica[] = [];
  let stream: SseStream | undefined;

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createMessagingTenant(test);
    apis = await startReplicas(['a', 'b']);
  }, 120_000);

  afterAll(async () => {
    stream?.close();
    await stopReplicas(apis);
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
