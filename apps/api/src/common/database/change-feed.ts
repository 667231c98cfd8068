import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { CONFIG, type Config } from '../../config/config';

type Handler = (payload: string) => void;

/**
 * This replica's one LISTEN connection. PostgreSQL NOTIFYs at commit, whichever replica made the
 * change: new events, audit log growth, and the cache invalidations of docs/architecture.md
 * ("Caches"). While the connection is down nothing is heard, so `listening` is false and every
 * `onReconnect` hook runs once it is back (caches drop everything, streams re-read).
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeFeed');
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly reconnectHooks = new Set<() => void>();
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  onModuleInit(): void {
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  subscribe(channel: string, handler: Handler): void {
    const set = this.handlers.get(channel) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(channel, set);
    if (this.client) void this.client.query(`LISTEN ${channel}`).catch((error: Error) => this.logger.warn(`cannot LISTEN ${channel}: ${error.message}`));
  }

  /** Runs after every (re)connection: whatever was notified while nobody listened must be re-read. */
  onReconnect(hook: () => void): void {
    this.reconnectHooks.add(hook);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.APP_DATABASE_URL, application_name: 'retract-listener' });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      if (!this.stopped) this.logger.warn(`listener connection failed: ${error.message}`);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      for (const hook of this.reconnectHooks) hook();
    } catch (error) {
      if (!this.stopped) this.logger.warn(`cannot listen yet: ${(error as Error).message}`);
      this.drop(client);
    }
  }

  private drop(client: Client): void {
    const wasListening = this.client === client;
    if (wasListening) this.client = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    // Nothing is heard until the next connection: caches must not serve what they cannot invalidate.
    if (wasListening) for (const hook of this.reconnectHooks) hook();
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, 1000);
    this.reconnectTimer.unref();
  }
}
