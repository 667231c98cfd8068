import { request, type ClientRequest } from 'node:http';

/** A minimal Server-Sent Events client over node:http (what EventSource does, with headers we control). */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
  json: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

export interface SseStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: SseEvent[];
  /** The first event (already received or still to come) matching `predicate`. */
  next(predicate: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
  closed: Promise<void>;
}

export function openStream(baseUrl: string, token: string, options: { lastEventId?: string; query?: string } = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/api/v1/events${options.query ?? ''}`, baseUrl);
    const events: SseEvent[] = [];
    const waiters: { predicate: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
    let buffer = '';
    let markClosed: () => void = () => undefined;
    const closed = new Promise<void>((done) => (markClosed = done));
    const deliver = (event: SseEvent) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    };
    const req: ClientRequest = request(
      url,
      {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
        },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of frame.split('\n')) {
              if (line.startsWith(':') || !line.includes(':')) continue;
              const [name, ...rest] = line.split(':');
              fields[name] = rest.join(':').replace(/^ /, '');
            }
            if (fields.data !== undefined) deliver({ id: fields.id, event: fields.event, data: fields.data, json: JSON.parse(fields.data) });
          }
        });
        res.on('close', markClosed);
        res.on('end', markClosed);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          next: (predicate, timeoutMs = 10_000) => {
            const found = events.find(predicate);
            if (found) return Promise.resolve(found);
            return new Promise((done, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ') || 'nothing'}`)),
                timeoutMs,
              );
              waiters.push({ predicate, resolve: (e) => (clearTimeout(timer), done(e)) });
            });
          },
          close: () => req.destroy(),
          closed,
        });
      },
    );
    req.on('error', (error) => reject(error));
    req.end();
  });
}
