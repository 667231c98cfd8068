import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@retract/contracts';
import fc from 'fast-check';
import { openEventStream, retryDelay, streamUrl, type EventSourceLike, type EventStreamEnvironment, type StreamStatus } from './event-stream';

/** An EventSource the test drives: it opens, errors and delivers frames when told to. */
class ScriptedSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  /** A dropped connection (the browser would reconnect) or, with `refused`, a non-stream answer. */
  fail(refused = false) {
    this.readyState = refused ? 2 : 0;
    this.onerror?.({} as Event);
  }
  deliver(envelope: EventEnvelope) {
    for (const listener of this.listeners.get(envelope.type) ?? [])
      listener({ data: JSON.stringify(envelope), lastEventId: envelope.id } as MessageEvent<string>);
  }
}

const created = (id: number): EventEnvelope => ({
  id: String(id),
  type: 'message.created',
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: {
    messageId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    conversationId: '00000000-0000-4000-8000-00000000000c',
    senderId: '00000000-0000-4000-8000-00000000000a',
    senderName: 'Alice',
    type: 'TEXT',
    sentAt: '2026-01-01T00:00:00.000Z',
  },
});

function harness() {
  const sources: ScriptedSource[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  let online: (() => void) | null = null;
  const env: EventStreamEnvironment = {
    createSource: (url) => {
      const source = new ScriptedSource(url);
      sources.push(source);
      return source;
    },
    setTimeout: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      if (handle) (handle as { cleared: boolean }).cleared = true;
    },
    onOnline: (callback) => {
      online = callback;
      return () => (online = null);
    },
    random: () => 0.5,
  };
  const events: string[] = [];
  const statuses: StreamStatus[] = [];
  const opens: boolean[] = [];
  let refusals = 0;
  const stream = openEventStream(
    '/api/v1/events',
    ['message.created', 'message.recalled'],
    {
      onEvent: (envelope) => events.push(envelope.id),
      onStatus: (status) => statuses.push(status),
      onOpen: (resumed) => opens.push(resumed),
      onRefused: () => refusals++,
    },
    env,
  );
  const pending = () => timers.filter((t) => !t.cleared);
  /** Runs the pending reconnect timer, as the browser would when its delay is over. */
  const elapse = () => {
    const [timer] = pending();
    timer.cleared = true;
    timer.callback();
  };
  return { stream, sources, timers, pending, elapse, events, statuses, opens, refusals: () => refusals, online: () => online?.() };
}

describe('event stream', () => {
  it('resumes a new connection from the last event it delivered, and delivers each event once', () => {
    const h = harness();
    const [first] = h.sources;
    expect(first.url).toBe('/api/v1/events');
    first.open();
    first.deliver(created(7));
    first.deliver(created(8));
    first.fail();
    // Closed at once: the browser must not reconnect that source by itself.
    expect(first.closed).toBe(true);
    expect(h.statuses).toEqual(['connecting', 'live', 'offline']);
    h.elapse();
    const second = h.sources[1];
    expect(second.url).toBe('/api/v1/events?lastEventId=8');
    second.open();
    // The API replays from 8; a repeat of 8 or older is dropped.
    second.deliver(created(8));
    second.deliver(created(9));
    second.deliver(created(6));
    expect(h.events).toEqual(['7', '8', '9']);
    expect(h.opens).toEqual([false, true]);
  });

  it('reports a first connection (and one before any event) as not resumed, so the page reads what it missed', () => {
    const h = harness();
    h.sources[0].open();
    h.sources[0].fail();
    h.elapse();
    expect(h.sources[1].url).toBe('/api/v1/events');
    h.sources[1].open();
    expect(h.opens).toEqual([false, false]);
  });

  it('ignores a closed source even if it still fires', () => {
    const h = harness();
    const [first] = h.sources;
    first.open();
    first.fail();
    first.deliver(created(3));
    first.fail();
    expect(h.events).toEqual([]);
    expect(h.pending()).toHaveLength(1);
  });

  it('backs off while the API is unreachable, says when it refused the stream, and starts over once connected', () => {
    const h = harness();
    h.sources[0].fail(true);
    expect(h.refusals()).toBe(1);
    h.elapse();
    h.sources[1].fail();
    h.elapse();
    h.sources[2].fail();
    expect(h.timers.map((t) => t.ms)).toEqual([500, 1000, 2000]);
    h.elapse();
    h.sources[3].open();
    h.sources[3].fail();
    expect(h.timers.at(-1)!.ms).toBe(500);
  });

  it('reconnects at once when the browser comes back online, and not while a stream is open', () => {
    const h = harness();
    h.sources[0].open();
    h.online();
    expect(h.sources).toHaveLength(1);
    h.sources[0].fail();
    h.online();
    expect(h.sources).toHaveLength(2);
    expect(h.pending()).toHaveLength(0);
  });

  it('stops for good when closed', () => {
    const h = harness();
    h.sources[0].fail();
    h.stream.close();
    expect(h.pending()).toHaveLength(0);
    h.online();
    expect(h.sources).toHaveLength(1);
  });

  it('waits between 0.4 s and 12 s, never more, whatever the attempt', () => {
    fc.assert(
      fc.property(fc.nat(1_000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const ms = retryDelay(attempt, () => random);
        expect(ms).toBeGreaterThanOrEqual(400);
        expect(ms).toBeLessThanOrEqual(12_000);
      }),
    );
  });

  it('puts the position in the query (EventSource cannot set Last-Event-ID on a new connection)', () => {
    expect(streamUrl('/api/v1/events', 42n)).toBe('/api/v1/events?lastEventId=42');
    expect(streamUrl('/api/v1/events?x=1', 42n)).toBe('/api/v1/events?x=1&lastEventId=42');
    expect(streamUrl('/api/v1/events', null)).toBe('/api/v1/events');
  });
});
