import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { appendToFrontier, fillLeafTemplate, hashLeaf, type CompletedNode, type Frontier } from '@retract/audit-log';
import { inTenantSql, sqlAutocommit, type SqlPool, type SqlTx } from '@retract/db';
import { ChangeFeed } from '../../common/database/change-feed';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { SQL_POOL } from '../../common/database/database.module';
import { ProblemException } from '../../common/problem/problem';
import { CONFIG, type Config } from '../../config/config';
import type { AuditTicket } from './audit-ticket';

interface CachedHead {
  frontier: Frontier;
  lastOccurredAt: number;
}

interface Waiter {
  ticket: AuditTicket;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface TenantQueue {
  tenantId: string;
  waiting: Waiter[];
  /** Every entry queued here and not yet settled, by pending id: an entry is integrated once however often it is asked for. */
  queued: Map<bigint, { ticket: AuditTicket; settled: Promise<void> }>;
  head?: CachedHead;
  busy: boolean;
  timer?: NodeJS.Timeout;
}

const INTEGRATED_ELSEWHERE = 'RT409';
const MAX_ATTEMPTS = 4;

const sqlState = (error: unknown): string | undefined => (error as { code?: string })?.code;

/**
 * Group commit for the audit log (queue-and-integrate, docs/audit-log.md "Write path"). Requests
 * queue their entries in `audit_pending` inside their own transactions; after they commit, this
 * sequencer takes every entry of a tenant that is waiting (up to AUDIT_BATCH_MAX, after at most
 * AUDIT_BATCH_WAIT_MS when idle), places them against its cached copy of the head (seq, time,
 * leaf bytes, hash, completed tree nodes — all JavaScript work done before any lock), and makes
 * them part of the log with one `audit_integrate` statement: the head's row lock is held for that
 * one round trip. If another replica moved the head, the statement changes nothing and the batch
 * is placed again against the fresh head. Requests are answered only after their batch committed.
 */
@Injectable()
export class AuditSequencer implements OnModuleInit {
  private readonly logger = new Logger('AuditSequencer');
  private readonly queues = new Map<string, TenantQueue>();
  private readonly growthListeners = new Set<(tenantId: string, fromSize: number, toSize: number) => void>();
  /**
   * The time entries are placed at (never before the head's): wall time. Only the demo seed sets it,
   * to write its month of history at the times it happened, in order (docs/audit-log.md, "Demo history").
   */
  time: () => number = () => Date.now();

  constructor(
    @Inject(SQL_POOL) private readonly pool: SqlPool,
    @Inject(CONFIG) private readonly config: Pick<Config, 'AUDIT_BATCH_MAX' | 'AUDIT_BATCH_WAIT_MS'>,
    private readonly feed?: ChangeFeed,
  ) {}

  onModuleInit(): void {
    // Another replica grew the log: our cached head is stale, re-read it before the next batch.
    this.feed?.subscribe('retract_audit', (payload) => {
      const [tenantId, size] = payload.split(':');
      const queue = this.queues.get(tenantId);
      if (queue?.head && Number(size) > queue.head.frontier.size) queue.head = undefined;
    });
    this.feed?.onReconnect(() => {
      for (const queue of this.queues.values()) queue.head = undefined;
    });
  }

  /** Called after each committed batch with the sizes before and after (the checkpoint signer listens). */
  onGrowth(listener: (tenantId: string, fromSize: number, toSize: number) => void): void {
    this.growthListeners.add(listener);
  }

  /** Resolves once the ticket's entry is part of the log (its seq, time and leaf hash are set). */
  integrate(ticket: AuditTicket): Promise<void> {
    const queue = this.queueOf(ticket.tenantId);
    const already = queue.queued.get(ticket.pendingId);
    if (already) return already.settled.then(() => ticket.place(already.ticket.entry));
    const settled = new Promise<void>((resolve, reject) => {
      queue.waiting.push({ ticket, resolve, reject });
      this.schedule(queue);
    }).finally(() => queue.queued.delete(ticket.pendingId));
    queue.queued.set(ticket.pendingId, { ticket, settled });
    return settled;
  }

  private queueOf(tenantId: string): TenantQueue {
    let queue = this.queues.get(tenantId);
    if (!queue) {
      queue = { tenantId, waiting: [], queued: new Map(), busy: false };
      this.queues.set(tenantId, queue);
    }
    return queue;
  }

  private schedule(queue: TenantQueue): void {
    if (queue.busy || queue.timer || queue.waiting.length === 0) return;
    const wait = this.config.AUDIT_BATCH_WAIT_MS;
    if (wait > 0 && queue.waiting.length < this.config.AUDIT_BATCH_MAX) {
      queue.timer = setTimeout(() => {
        queue.timer = undefined;
        void this.drain(queue);
      }, wait);
    } else {
      void this.drain(queue);
    }
  }

  private async drain(queue: TenantQueue): Promise<void> {
    if (queue.busy) return;
    queue.busy = true;
    try {
      while (queue.waiting.length > 0) {
        const batch = queue.waiting.splice(0, this.config.AUDIT_BATCH_MAX);
        try {
          await this.integrateBatch(queue, batch);
          for (const waiter of batch) waiter.resolve();
        } catch (error) {
          queue.head = undefined;
          logBackgroundFailure(this.logger, 'warn', 'audit batch not integrated; its entries stay pending', error, { tenantId: queue.tenantId });
          const unavailable = new ProblemException({
            status: 503,
            code: 'SERVICE_UNAVAILABLE',
            detail: 'The change was saved but its audit entry is not in the log yet; it will be added shortly. Try again to see the result.',
            retryAfter: 2,
          });
          for (const waiter of batch) waiter.reject(unavailable);
        }
      }
    } finally {
      queue.busy = false;
    }
    this.schedule(queue);
  }

  /**
   * First against the cached head without any lock held beforehand (the common case: one writer
   * per tenant, or a quiet log). If another replica moved the head, once more under the head's row
   * lock taken first, so contending replicas make progress in turn instead of retrying forever.
   */
  private async integrateBatch(queue: TenantQueue, batch: Waiter[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
      try {
        const cached = attempt === 0 ? queue.head : undefined;
        const outcome = cached
          ? await this.submit(sqlAutocommit(this.pool), queue.tenantId, cached, pending)
          : await inTenantSql(this.pool, { tenantId: queue.tenantId }, async (tx) =>
              this.submit(tx, queue.tenantId, await lockedHead(tx, queue.tenantId), pending),
            );
        if (!outcome) {
          queue.head = undefined;
          continue;
        }
        queue.head = outcome.head;
        for (const listener of this.growthListeners) listener(queue.tenantId, outcome.fromSize, outcome.head.frontier.size);
        return;
      } catch (error) {
        if (sqlState(error) !== INTEGRATED_ELSEWHERE) throw error;
        // Some entries were integrated by another replica's sweep: keep the rest, drop those.
        queue.head = undefined;
        pending = await this.stillPending(queue.tenantId, pending);
      }
    }
    if (pending.length > 0) throw new Error('the audit log head kept moving');
  }

  /** Places the batch after `head` and integrates it; undefined when the head had moved. */
  private async submit(sql: SqlTx, tenantId: string, head: CachedHead, batch: Waiter[]): Promise<{ head: CachedHead; fromSize: number } | undefined> {
    const placed = place(
      head,
      batch.map((w) => w.ticket),
      this.time,
    );
    const [row] = await sql.$queryRaw<{ size: bigint }[]>`
      SELECT audit_integrate(${tenantId}::uuid, ${head.frontier.size}::bigint, ${placed.frontier.hashes.map((h) => Buffer.from(h))}::bytea[],
                             ${new Date(placed.lastOccurredAt)}::timestamptz, ${placed.pendingIds}::bigint[], ${placed.leaves}::bytea[],
                             ${placed.leafHashes.map((h) => Buffer.from(h))}::bytea[], ${placed.occurredAt}::timestamptz[],
                             ${placed.nodes.map((n) => n.level)}::smallint[], ${placed.nodes.map((n) => n.index)}::bigint[],
                             ${placed.nodes.map((n) => Buffer.from(n.hash))}::bytea[]) AS size`;
    if (Number(row.size) < 0) return undefined;
    batch.forEach((waiter, i) => waiter.ticket.place({ seq: head.frontier.size + i, occurredAt: placed.occurredAt[i], leafHash: placed.leafHashes[i] }));
    return { head: { frontier: placed.frontier, lastOccurredAt: placed.lastOccurredAt }, fromSize: head.frontier.size };
  }

  private async stillPending(tenantId: string, batch: Waiter[]): Promise<Waiter[]> {
    const rows = await inTenantSql(
      this.pool,
      { tenantId },
      (tx) =>
        tx.$queryRaw<
          { id: bigint }[]
        >`SELECT id FROM audit_pending WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${batch.map((w) => w.ticket.pendingId)}::bigint[])`,
    );
    const left = new Set(rows.map((row) => BigInt(row.id)));
    const gone = batch.filter((w) => !left.has(w.ticket.pendingId));
    const taken = new ProblemException({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The change was saved and its audit entry added by another server; try again to see the result.',
      retryAfter: 1,
    });
    for (const waiter of gone) waiter.reject(taken);
    return batch.filter((w) => left.has(w.ticket.pendingId));
  }
}

/** The head under its row lock (held until the integrating transaction commits). */
async function lockedHead(tx: SqlTx, tenantId: string): Promise<CachedHead> {
  const [row] = await tx.$queryRaw<{ size: bigint; frontier: Buffer[]; updated_at: Date }[]>`
    SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = ${tenantId}::uuid FOR UPDATE`;
  if (!row) return { frontier: { size: 0, hashes: [] }, lastOccurredAt: 0 };
  return { frontier: { size: Number(row.size), hashes: row.frontier.map((h) => new Uint8Array(h)) }, lastOccurredAt: new Date(row.updated_at).getTime() };
}

interface Placement {
  frontier: Frontier;
  lastOccurredAt: number;
  pendingIds: bigint[];
  leaves: Buffer[];
  leafHashes: Uint8Array[];
  occurredAt: string[];
  nodes: CompletedNode[];
}

/** Places a batch after the head: seq in order, time never running backwards, leaf bytes, hashes, the tree's new right edge. */
function place(head: CachedHead, tickets: AuditTicket[], time: () => number): Placement {
  let frontier = head.frontier;
  let last = head.lastOccurredAt;
  const placement: Placement = { frontier, lastOccurredAt: last, pendingIds: [], leaves: [], leafHashes: [], occurredAt: [], nodes: [] };
  tickets.forEach((ticket, i) => {
    last = Math.max(time(), last);
    const occurredAt = new Date(last).toISOString();
    const leaf = fillLeafTemplate(ticket.template, head.frontier.size + i, occurredAt);
    const leafHash = hashLeaf(leaf);
    const appended = appendToFrontier(frontier, leafHash);
    frontier = appended.frontier;
    placement.pendingIds.push(ticket.pendingId);
    placement.leaves.push(Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength));
    placement.leafHashes.push(leafHash);
    placement.occurredAt.push(occurredAt);
    placement.nodes.push(...appended.completedNodes);
  });
  placement.frontier = frontier;
  placement.lastOccurredAt = last;
  return placement;
}
