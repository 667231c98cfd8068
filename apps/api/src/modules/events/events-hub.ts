import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventEnvelope, Locale } from '@retract/contracts';
import { CACHE_CHANNEL, ChangeFeed } from '../../common/database/change-feed';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { TenantDb } from '../../common/database/database.module';
import { toEnvelope, type EventRow } from './event-view';
import { withSenderNames } from './sender-names';
import type { SessionCheck, Tx } from '@retract/db';

export const EVENTS_CHANNEL = 'retract_events';
const PAGE = 500;
const SAFETY_POLL_MS = 10_000;

export interface StreamViewer {
  tenantId: string;
  userId: string;
  locale: Locale;
  /** The session a live stream belongs to: its events stop the moment the session or its user does. */
  sessionId?: string;
  /** For a one-off read on the viewer's behalf: checked by the read's transaction (app_enter). */
  session?: SessionCheck;
}

interface Subscriber extends StreamViewer {
  lastSentId: bigint;
  /** 'catchup' while it reads its backlog; live fan-out only marks it dirty so the backlog loop runs again. */
  mode: 'catchup' | 'live';
  dirty: boolean;
  closed: boolean;
  send: (envelope: EventEnvelope) => void;
  end: () => void;
}

interface Channel {
  tenantId: string;
  subscribers: Set<Subscriber>;
  /** Highest event id this process has fanned out for the tenant. */
  cursor: bigint;
  ready: Promise<void>;
  pumping: boolean;
  again: boolean;
}

export interface Subscription {
  close(): void;
}

type RawEventRow = { id: bigint; type: string; conversation_id: string | null; message_id: string | null; payload: Record<string, unknown>; created_at: Date };

const toRow = (raw: RawEventRow): EventRow => ({
  id: BigInt(raw.id),
  type: raw.type,
  conversationId: raw.conversation_id,
  messageId: raw.message_id,
  payload: raw.payload,
  createdAt: raw.created_at,
});

/** Of these sessions, those still live: not revoked, not expired, their user active. */
async function liveSessionIds(tx: Tx, tenantId: string, sessionIds: string[]): Promise<Set<string>> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT s.id FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
     WHERE s.tenant_id = ${tenantId}::uuid AND s.id = ANY(${sessionIds}::uuid[])
       AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`;
  return new Set(rows.map((row) => row.id));
}

/**
 * Live delivery of the event log to the Server-Sent Events streams of this process.
 *
 * Every replica LISTENs on one PostgreSQL channel; the insert trigger on `events` NOTIFYs
 * `<tenant>:<id>` at commit, whichever replica wrote it. On a notification the hub reads the
 * tenant's new events once (under RLS), looks up who is a member of their conversations, and
 * writes each event to the streams of members. A new stream first replays its backlog (events
 * after its Last-Event-ID that its user may see) and only then goes live; a notification that
 * arrives meanwhile makes the backlog loop run once more, so nothing falls between the two.
 * A reconnect of the listener, and a slow safety poll, re-read every tenant with streams.
 */
@Injectable()
export class EventsHub implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('EventsHub');
  private readonly channels = new Map<string, Channel>();
  private safetyTimer?: NodeJS.Timeout;

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly feed: ChangeFeed,
  ) {}

  onModuleInit(): void {
    this.feed.subscribe(EVENTS_CHANNEL, (payload) => this.onNotification(payload));
    this.feed.subscribe(CACHE_CHANNEL, (payload) => this.onInvalidation(payload));
    // Anything committed while this replica was not listening is read again.
    this.feed.onReconnect(() => this.pokeAll());
    this.safetyTimer = setInterval(() => this.pokeAll(), SAFETY_POLL_MS);
    this.safetyTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.safetyTimer);
    for (const channel of this.channels.values()) for (const subscriber of channel.subscribers) subscriber.end();
    this.channels.clear();
  }

  /** Whether this process is currently listening for other replicas' events. */
  get listening(): boolean {
    return this.feed.listening;
  }

  private onNotification(payload: string | undefined): void {
    const tenantId = payload?.split(':')[0];
    if (!tenantId) return;
    const channel = this.channels.get(tenantId);
    if (channel) void this.pump(channel);
  }

  /**
   * A session revoked (logout, deactivation, SCIM deprovisioning) or a user changed, on any replica:
   * the streams of that session or user are checked at once and those no longer live end now,
   * rather than at their next event or session check.
   */
  private onInvalidation(payload: string): void {
    const [kind, first, second] = payload.split(':');
    if (kind !== 'session' && kind !== 'user') return;
    for (const channel of this.channels.values()) {
      const affected = [...channel.subscribers].filter(
        (subscriber) =>
          subscriber.sessionId && (kind === 'session' ? subscriber.sessionId === first : channel.tenantId === first && subscriber.userId === second),
      );
      if (affected.length > 0) void this.endDeadStreams(channel, affected);
    }
  }

  private async endDeadStreams(channel: Channel, affected: Subscriber[]): Promise<void> {
    try {
      const ids = affected.map((subscriber) => subscriber.sessionId!);
      const live = await this.tenantDb.run({ tenantId: channel.tenantId }, (tx) => liveSessionIds(tx, channel.tenantId, ids));
      for (const subscriber of affected) {
        if (live.has(subscriber.sessionId!) || subscriber.closed) continue;
        subscriber.end();
        this.unsubscribe(channel, subscriber);
      }
    } catch (error) {
      logBackgroundFailure(this.logger, 'warn', 'checking the streams of an ended session failed', error, { tenantId: channel.tenantId });
    }
  }

  private pokeAll(): void {
    for (const channel of this.channels.values()) void this.pump(channel);
  }

  /** The newest event id of a tenant (0 when it has none). */
  async headId(tenantId: string): Promise<bigint> {
    return this.tenantDb.run({ tenantId }, async (tx) => {
      const [row] = await tx.$queryRaw<{ last_id: bigint }[]>`SELECT last_id FROM event_log_heads WHERE tenant_id = ${tenantId}::uuid`;
      return row ? BigInt(row.last_id) : 0n;
    });
  }

  /** Events after `after` that the user may see (their conversations, and tenant-wide events), oldest first. */
  async readVisible(viewer: StreamViewer, after: bigint, limit: number): Promise<EventRow[]> {
    return this.tenantDb.run(viewer, async (tx) => {
      const rows = await tx.$queryRaw<RawEventRow[]>`
        SELECT e.id, e.type, e.conversation_id, e.message_id, e.payload, e.created_at
          FROM events e
         WHERE e.tenant_id = ${viewer.tenantId}::uuid AND e.id > ${after}
           AND (e.conversation_id IS NULL OR EXISTS (
                 SELECT 1 FROM conversation_members m
                  WHERE m.tenant_id = e.tenant_id AND m.conversation_id = e.conversation_id AND m.user_id = ${viewer.userId}::uuid))
         ORDER BY e.id
         LIMIT ${limit}`;
      return withSenderNames(tx, viewer.tenantId, rows.map(toRow));
    });
  }

  /**
   * Streams the user's events to `send`: first those after `after` (or, without it, only new
   * ones), then live. `end` is called when the hub shuts down.
   */
  async subscribe(viewer: StreamViewer, after: bigint | undefined, send: (envelope: EventEnvelope) => void, end: () => void): Promise<Subscription> {
    let channel = this.channels.get(viewer.tenantId);
    if (!channel) {
      const created: Channel = { tenantId: viewer.tenantId, subscribers: new Set(), cursor: 0n, ready: Promise.resolve(), pumping: false, again: false };
      created.ready = this.headId(viewer.tenantId).then((id) => {
        created.cursor = id;
      });
      this.channels.set(viewer.tenantId, created);
      channel = created;
    }
    // Joined before the first await: a channel whose last stream closes meanwhile would otherwise
    // be dropped from `channels` with this one still to join it, and never be pumped again.
    const subscriber: Subscriber = { ...viewer, lastSentId: 0n, mode: 'catchup', dirty: false, closed: false, send, end };
    channel.subscribers.add(subscriber);
    const subscription = { close: () => this.unsubscribe(channel, subscriber) };
    try {
      await channel.ready;
      subscriber.lastSentId = after ?? (await this.headId(viewer.tenantId));
      let full = false;
      do {
        subscriber.dirty = false;
        const rows = await this.readVisible(subscriber, subscriber.lastSentId, PAGE);
        for (const row of rows) {
          if (subscriber.closed) break;
          subscriber.send(toEnvelope(row, subscriber));
          subscriber.lastSentId = row.id;
        }
        full = rows.length === PAGE;
      } while (!subscriber.closed && (full || subscriber.dirty));
      subscriber.mode = 'live';
    } catch (error) {
      subscription.close();
      throw error;
    }
    return subscription;
  }

  private unsubscribe(channel: Channel, subscriber: Subscriber): void {
    subscriber.closed = true;
    channel.subscribers.delete(subscriber);
    if (channel.subscribers.size === 0 && this.channels.get(channel.tenantId) === channel) this.channels.delete(channel.tenantId);
  }

  private async pump(channel: Channel): Promise<void> {
    if (channel.pumping) {
      channel.again = true;
      return;
    }
    channel.pumping = true;
    try {
      await channel.ready;
      do {
        channel.again = false;
        const sessionIds = [...channel.subscribers].map((subscriber) => subscriber.sessionId).filter((id): id is string => Boolean(id));
        const { rows, members, liveSessions } = await this.tenantDb.run({ tenantId: channel.tenantId }, async (tx) => {
          const raw = await tx.$queryRaw<RawEventRow[]>`
            SELECT id, type, conversation_id, message_id, payload, created_at FROM events
             WHERE tenant_id = ${channel.tenantId}::uuid AND id > ${channel.cursor}
             ORDER BY id LIMIT ${PAGE}`;
          const conversationIds = [...new Set(raw.map((row) => row.conversation_id).filter((id): id is string => id !== null))];
          const memberRows = conversationIds.length
            ? await tx.conversationMember.findMany({
                where: { tenantId: channel.tenantId, conversationId: { in: conversationIds } },
                select: { conversationId: true, userId: true },
              })
            : [];
          const live = raw.length && sessionIds.length ? await liveSessionIds(tx, channel.tenantId, sessionIds) : new Set<string>();
          return { rows: await withSenderNames(tx, channel.tenantId, raw.map(toRow)), members: memberRows, liveSessions: live };
        });
        // `continue` re-checks `again`: a notification that came in during the read is not lost.
        if (rows.length === 0) continue;
        const membersOf = new Map<string, Set<string>>();
        for (const { conversationId, userId } of members) {
          if (!membersOf.has(conversationId)) membersOf.set(conversationId, new Set());
          membersOf.get(conversationId)!.add(userId);
        }
        channel.cursor = rows[rows.length - 1].id;
        for (const subscriber of channel.subscribers) {
          // Logout, deactivation and session expiry end a stream before it receives another event.
          if (subscriber.sessionId && !liveSessions.has(subscriber.sessionId)) {
            subscriber.end();
            this.unsubscribe(channel, subscriber);
            continue;
          }
          if (subscriber.mode === 'catchup') {
            subscriber.dirty = true;
            continue;
          }
          for (const row of rows) {
            if (subscriber.closed || row.id <= subscriber.lastSentId) continue;
            const visible = row.conversationId === null || membersOf.get(row.conversationId)?.has(subscriber.userId) === true;
            if (visible) subscriber.send(toEnvelope(row, subscriber));
            subscriber.lastSentId = row.id;
          }
        }
        if (rows.length === PAGE) channel.again = true;
      } while (channel.again);
    } catch (error) {
      logBackgroundFailure(this.logger, 'warn', 'event fan-out for a tenant failed', error, { tenantId: channel.tenantId });
    } finally {
      channel.pumping = false;
    }
  }
}
