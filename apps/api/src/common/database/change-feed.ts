import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { connectionSettings } from '@retract/db';
import { Client } from 'pg';
import { CONFIG, type Config } from '../../config/config';

type Handler = (payload: string) => void;

/** Cache invalidations (`session:…`, `user:…`, `policy:…`, `key:…`) sent at commit by the triggers of docs/architecture.md "Caches". */
export const CACHE_CHANNEL = 'retract_cache';

/** Reconnection waits: doubling from the first, never longer than the last (plus up to a quarter of jitter). */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 2000;
/** A quiet connection is probed this often, so a connection that died silently is noticed within about two periods. */
const PROBE_EVERY_MS = 5000;

/**
 * This replica's one LISTEN connection (LISTEN_DATABASE_URL, by default the app's own URL; it must
 * reach PostgreSQL directly, since a transaction-mode pooler would hand the LISTEN to another client).
 * PostgreSQL NOTIFYs at commit, whichever replica made the change: new events, audit log growth,
 * and the cache invalidations of docs/architecture.md ("Caches").
 *
 * While the connection is down nothing is heard, so `listening` is false and every `onReconnect`
 * hook runs twice: when the loss is noticed (caches drop everything and keep nothing meanwhile)
 * and once the channels are LISTENed again (streams re-read what was committed in between).
 * A loss is logged once, then retried with backoff until it is back (logged once more);
 * an orderly stop closes the connection first and logs nothing.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeFeed');
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly reconnectHooks = new Set<() => void>();
  private client?: Client;
  /** Statements on the listener connection run one after another (pg no longer queues overlapping ones quietly). */
  private statements: Promise<unknown> = Promise.resolve();
  private reconnectTimer?: NodeJS.Timeout;
  private probeTimer?: NodeJS.Timeout;
  private closing = false;
  /** When the current outage began (the loss, or the start when the first connection failed). */
  private downSince?: number;
  private attempts = 0;
  /** Losses and returns of the listener, and notifications heard per channel: see `mark`. */
  private gaps = 0;
  private readonly heard = new Map<string, number>();

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** Waits for the first attempt (bounded by the connection timeout), so a replica that starts ready reports ready. */
  async onModuleInit(): Promise<void> {
    this.downSince = Date.now();
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.probeTimer);
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
    const isNew = !this.handlers.has(channel);
    set.add(handler);
    this.handlers.set(channel, set);
    const client = this.client;
    if (client && isNew) void this.query(client, `LISTEN ${channel}`).catch((error: Error) => this.lost(client, error));
  }

  /**
   * Taken before a cache reads something it may keep: the value may be kept only if
   * `unchangedSince(channel, mark)` still holds once it is read. A read that a notification on the
   * channel overtook (or that spanned a loss of the listener, when notifications may have been
   * missed) is used once and not kept.
   */
  mark(channel: string): number {
    return this.gaps + (this.heard.get(channel) ?? 0);
  }

  unchangedSince(channel: string, mark: number): boolean {
    return this.listening && this.mark(channel) === mark;
  }

  /** Runs when the connection is lost and again after every (re)connection: whatever was notified meanwhile must be re-read. */
  onReconnect(hook: () => void): void {
    this.reconnectHooks.add(hook);
  }

  private async connect(): Promise<void> {
    if (this.closing) return;
    const client = new Client({
      ...connectionSettings(this.config.DB_CONNECT_TIMEOUT_MS),
      connectionString: this.config.LISTEN_DATABASE_URL,
      application_name: 'retract-listener',
    });
    // A statement left hanging on a dead connection must not hold up the new one's.
    this.statements = Promise.resolve();
    client.on('notification', (message) => {
      this.heard.set(message.channel, (this.heard.get(message.channel) ?? 0) + 1);
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await this.query(client, `LISTEN ${channel}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.closing) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.attempts > 0) this.logger.log(`listening again after ${((Date.now() - this.downSince!) / 1000).toFixed(1)} s (${this.attempts} attempts)`);
    this.attempts = 0;
    this.downSince = undefined;
    this.probeTimer = setInterval(() => void this.probe(client), PROBE_EVERY_MS);
    this.probeTimer.unref();
    this.gaps += 1;
    for (const hook of this.reconnectHooks) hook();
  }

  /** A round trip on the listener connection: a silently dead connection fails here (the connection timeout bounds it). */
  private async probe(client: Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the listener connection stopped answering')), this.config.DB_CONNECT_TIMEOUT_MS);
    });
    await Promise.race([this.query(client, 'SELECT 1'), timeout])
      .catch((error: Error) => this.lost(client, error))
      .finally(() => clearTimeout(timer));
  }

  private query(client: Client, sql: string): Promise<unknown> {
    const next = this.statements.then(() => client.query(sql));
    this.statements = next.catch(() => undefined);
    return next;
  }

  /** The connection failed (or could not be made): forget it, tell the hooks once, and try again later. */
  private lost(client: Client, error: Error): void {
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closing) return;
    const wasListening = this.client === client;
    if (wasListening) {
      this.client = undefined;
      clearInterval(this.probeTimer);
      this.downSince = Date.now();
      this.gaps += 1;
      this.logger.warn(`listener connection lost (${error.message}); caches are off and the feed reconnects until the database is back`);
      // Nothing is heard until the next connection: caches must not serve what they cannot invalidate.
      for (const hook of this.reconnectHooks) hook();
    } else if (this.attempts === 0 && this.client === undefined) {
      this.logger.warn(`cannot listen yet (${error.message}); retrying until the database is reachable`);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer || this.client) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.min(this.attempts, 10));
    this.attempts += 1;
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = undefined;
        void this.connect();
      },
      delay + Math.random() * delay * 0.25,
    );
    this.reconnectTimer.unref();
  }
}
