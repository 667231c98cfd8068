import { request, type ClientRequest } from 'node:http';

export interface StreamedEvent {
  id: string;
  event: string;
  data: { messageId?: string; conversationId?: string } & Record<string, unknown>;
}

/**
 * GET /api/v1/events as a browser's EventSource uses it: whenever the stream ends or cannot be
 * opened, it reconnects after the server's `retry:` delay with Last-Event-ID set to the last id
 * it received, so a client that resumes this way should see every event exactly once, in order.
 */
export class ResumingEventStream {
  readonly events: StreamedEvent[] = [];
  /** Connections opened after the first. */
  reconnects = 0;
  private lastEventId: string;
  private retryMs = 3000;
  private current?: ClientRequest;
  private closed = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly base: URL,
    private readonly token: string,
    lastEventId: string,
  ) {
    this.lastEventId = lastEventId;
  }

  /** Resolves once the first connection answered 200. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => this.connect(resolve, reject));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.current?.destroy();
  }

  private connect(opened?: () => void, failed?: (error: Error) => void): void {
    if (this.closed) return;
    const again = () => {
      if (this.closed || this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.reconnects += 1;
        this.connect();
      }, this.retryMs);
    };
    let buffer = '';
    const req = request(new URL('/api/v1/events', this.base), {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream', 'last-event-id': this.lastEventId },
    });
    this.current = req;
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        if (failed) failed(new Error(`the event stream answered ${res.statusCode}`));
        else again();
        return;
      }
      opened?.();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      res.on('close', again);
    });
    req.on('error', () => (failed ? failed(new Error('the event stream could not be opened')) : again()));
    req.end();
  }

  private frame(frame: string): void {
    const fields: Record<string, string> = {};
    for (const line of frame.split('\n')) {
      if (line.startsWith(':') || !line.includes(':')) continue;
      const at = line.indexOf(':');
      fields[line.slice(0, at)] = line.slice(at + 1).replace(/^ /, '');
    }
    if (fields.retry && /^\d+$/.test(fields.retry)) this.retryMs = Number(fields.retry);
    if (fields.id !== undefined) this.lastEventId = fields.id;
    if (fields.data === undefined) return;
    const envelope = JSON.parse(fields.data) as { id: string; type: string; data: StreamedEvent['data'] };
    this.events.push({ id: fields.id ?? envelope.id, event: fields.event ?? envelope.type, data: envelope.data });
  }
}
