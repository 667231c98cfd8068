import type { EventEnvelope, EventType } from '@retract/contracts';

/**
 * A resumable subscription to the API's event stream (GET /api/v1/events, Server-Sent Events).
 *
 * The browser's EventSource resumes with Last-Event-ID only while the same EventSource object
 * reconnects; a new one starts from "now", so whatever happened between the old stream's end and
 * the new one's start was lost. Here the stream keeps the last event id itself, and every
 * connection after the first asks the API to replay from it (`?lastEventId=`, the same as the
 * header). Events arrive at most once: a replayed or repeated id is dropped.
 *
 * Reconnecting is ours too, not the browser's: on an error the EventSource is closed and a new one
 * is opened after a short, growing delay (at once when the browser comes back online).
 * No React in here: src/lib/use-event-stream.ts binds it to a component.
 */

export type StreamStatus = 'connecting' | 'live' | 'offline';

export interface EventStreamHandlers {
  /** Each event once, in id order. */
  onEvent(envelope: EventEnvelope): void;
  onStatus(status: StreamStatus): void;
  /**
   * A connection opened. `resumed` is false when there was no event id to resume from (the first
   * connection, or no event yet): whatever happened before it is not replayed, so the caller reads
   * the current state instead.
   */
  onOpen(resumed: boolean): void;
  /** The API answered with something other than a stream (for example 401 after the session ended). */
  onRefused(): void;
}

/** What the stream needs from the browser; tests pass their own. */
export interface EventStreamEnvironment {
  createSource: (url: string) => EventSourceLike;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Subscribes to the browser's `online` event; returns the unsubscribe. */
  onOnline: (callback: () => void) => () => void;
  random: () => number;
}

export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** EventSource.CLOSED: the server refused the stream rather than dropping it. */
const CLOSED = 2;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

const browser = (): EventStreamEnvironment => ({
  createSource: (url) => new EventSource(url),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  onOnline: (callback) => {
    window.addEventListener('online', callback);
    return () => window.removeEventListener('online', callback);
  },
  random: Math.random,
});

/** Delay before reconnect attempt `attempt` (0-based): doubling from 0.5 s up to 10 s, with ±20 % jitter so a fleet of pages does not reconnect in step. */
export function retryDelay(attempt: number, random: () => number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function streamUrl(path: string, lastEventId: bigint | null): string {
  if (lastEventId === null) return path;
  return `${path}${path.includes('?') ? '&' : '?'}lastEventId=${lastEventId}`;
}

export function openEventStream(
  path: string,
  types: readonly EventType[],
  handlers: EventStreamHandlers,
  env: EventStreamEnvironment = browser(),
): { close(): void } {
  let source: EventSourceLike | null = null;
  let lastEventId: bigint | null = null;
  let attempt = 0;
  let retry: unknown;
  let stopped = false;

  const onMessage = (event: MessageEvent<string>) => {
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(event.data) as EventEnvelope;
    } catch {
      return;
    }
    const id = BigInt(envelope.id);
    if (lastEventId !== null && id <= lastEventId) return;
    lastEventId = id;
    handlers.onEvent(envelope);
  };

  const connect = () => {
    env.clearTimeout(retry);
    retry = undefined;
    if (stopped) return;
    const resumed = lastEventId !== null;
    const current = env.createSource(streamUrl(path, lastEventId));
    source = current;
    current.onopen = () => {
      if (source !== current) return;
      attempt = 0;
      handlers.onStatus('live');
      handlers.onOpen(resumed);
    };
    current.onerror = () => {
      if (source !== current) return;
      // Closed here so that the browser does not reconnect on its own with a stale position.
      const refused = current.readyState === CLOSED;
      current.close();
      source = null;
      handlers.onStatus('offline');
      if (refused) handlers.onRefused();
      schedule();
    };
    for (const type of types) current.addEventListener(type, (event) => source === current && onMessage(event));
  };

  const schedule = () => {
    if (stopped || retry !== undefined) return;
    retry = env.setTimeout(connect, retryDelay(attempt++, env.random));
  };

  // Back online: try now rather than when the current delay runs out.
  const offOnline = env.onOnline(() => {
    if (!source) connect();
  });

  handlers.onStatus('connecting');
  connect();
  return {
    close() {
      stopped = true;
      env.clearTimeout(retry);
      offOnline();
      source?.close();
      source = null;
    },
  };
}
