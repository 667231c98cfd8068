import type { EventEnvelope } from '@retract/contracts';
import { EventsHub } from '../src/modules/events/events-hub';
import { createMessagingTenant, sendText } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

/**
 * A page reload or a conversation switch opens a user's new stream while the old one closes. When
 * the old stream was the tenant's last on this replica, the new one must still be fanned out to:
 * it once joined the tenant's channel just after that channel was dropped, stayed open with its
 * heartbeats, and never received another event (the console showed "Live" and nothing arrived).
 */
const messageOf = (event: EventEnvelope) => ('messageId' in event.data ? event.data.messageId : null);

describe("events: a stream that starts while the tenant's last other stream closes", () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(async () => {
    await test.close();
  });

  it('receives the events that follow', async () => {
    const hub = test.app.get(EventsHub);
    // A tenant of its own: no other stream keeps its channel alive.
    const tenant = await createMessagingTenant(test);
    const { alice, bob } = tenant.users;
    const viewer = { tenantId: tenant.id, userId: bob.id, locale: 'en' as const };

    const old = await hub.subscribe(
      viewer,
      undefined,
      () => undefined,
      () => undefined,
    );
    const received: EventEnvelope[] = [];
    const starting = hub.subscribe(
      viewer,
      undefined,
      (event) => received.push(event),
      () => undefined,
    );
    // The old stream ends while the new one is still starting (reading the tenant's head).
    old.close();
    const handedOver = await starting;

    const id = await sendText(test, alice, tenant.direct, 'after the handover');
    // Longer than the hub's safety poll: a stream that misses this is not merely late.
    const deadline = Date.now() + 15_000;
    while (!received.some((event) => messageOf(event) === id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    handedOver.close();
    expect(received.map((event) => [event.type, messageOf(event)])).toEqual([['message.created', id]]);
  });
});
