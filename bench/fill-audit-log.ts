/**
 * Bulk-fills one tenant's audit log for benchmarks: millions of entries in minutes, each a real
 * leaf, so that browsing, proofs, checkpoints and verification behave as on a log the API wrote.
 *
 * What it writes, on the owner connection, batch by batch (each batch one transaction that locks
 * the tenant's head row, so the log is complete and consistent after every commit and an
 * interrupted fill resumes from the head):
 *   - audit_entries: canonical leaves (libs/audit-log `encodeLeaf` / `hashLeaf`) of synthetic but
 *     plausible activity — recalls, refusals with their denial codes, re-edits, content views,
 *     exports, user, policy, hold and webhook administration — with the searchable columns copied
 *     from the same draft the way `AuditLog.append` copies them (`searchTextOf` for search_text);
 *   - audit_tree_nodes: every subtree the leaves complete (`appendToFrontier`);
 *   - audit_log_heads: the new size, frontier and time of the last entry.
 * Rows go in through `COPY … FROM STDIN (FORMAT binary)`, spoken over the `pg` client's own
 * connection (no pg-copy-streams). Leaves are encoded and hashed by worker threads (the JS side is
 * the slow side); the main thread folds the leaf hashes into the tree and streams the rows.
 * When the fill is large next to the log, the secondary indexes of audit_entries (whatever the
 * migrations define) are dropped first and rebuilt at the end; their definitions wait in the table
 * `bench_fill_dropped_indexes` meanwhile, so a resumed fill still rebuilds them. The log is then
 * vacuumed and analysed, as a long-lived table would be.
 *
 * The history is spread over `spanDays` before now (weekday office hours busiest), never before the
 * head's last entry, so occurredAt never decreases along seq, as the verifier requires. Content
 * is left out (a leaf's `content` is null): sealing goes through the vault one entry at a time.
 *
 * COPY into a table with Row Level Security needs a role that bypasses it: a superuser or BYPASSRLS
 * owner (the benchmarks' DATABASE_URL user). Nothing else may append to the tenant meanwhile.
 */
import { appendToFrontier, encodeLeaf, hashLeaf, type AuditEntry, type Frontier, type JsonValue } from '@retract/audit-log';
import type { AuditAction } from '@retract/contracts';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { searchTextOf, unplacedEntry, type AuditDraft } from '../apps/api/src/modules/audit/audit-draft';

/** Who acts in the synthetic history (user ids of the tenant; they need not all exist). */
export interface AuditPopulation {
  /** Senders and recipients of messages; the busiest few act far more often than the rest. */
  employees: readonly string[];
  /** Policy, user, hold and webhook changes; forced recalls. */
  admins: readonly string[];
  /** Content views, exports, erasure. */
  compliance: readonly string[];
}

export interface FillOptions {
  /** Owner connection that bypasses RLS (superuser or BYPASSRLS). */
  ownerUrl: string;
  tenantId: string;
  /** Log size to reach; nothing is written when the log is already this large. */
  target: number;
  population: AuditPopulation;
  /** Days of history before now (default 365). */
  spanDays?: number;
  /** PRNG seed: the same seed, population and head give the same entries. */
  seed?: number;
  /** Entries per batch (one COPY of entries, one of nodes, one commit; default 20,000). */
  batch?: number;
  /** Worker threads encoding leaves (default: one per CPU core). */
  workers?: number;
  /** Drop and rebuild the secondary indexes of audit_entries (default: when adding at least as many entries as the log holds, and ≥ 100,000). */
  rebuildIndexes?: boolean;
  log?: (line: string) => void;
}

export interface FillResult {
  /** Log size afterwards. */
  size: number;
  added: number;
  /** Wall time of the whole fill: rows, index rebuild, VACUUM ANALYZE. */
  seconds: number;
  /** Wall time of writing the rows alone. */
  rowSeconds: number;
  /** added / seconds. */
  entriesPerSecond: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DROPPED_INDEXES = 'bench_fill_dropped_indexes';

export async function fillAuditLog(options: FillOptions): Promise<FillResult> {
  const log = options.log ?? (() => undefined);
  const client = new Client({ connectionString: options.ownerUrl });
  await client.connect();
  const started = performance.now();
  let pool: LeafWorkers | undefined;
  try {
    const { rows: role } = await client.query<{ bypasses: boolean }>('SELECT rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user');
    if (!role[0]?.bypasses) throw new Error('fillAuditLog copies rows past Row Level Security: connect as a superuser or a BYPASSRLS owner');
    await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [options.tenantId]);
    await client.query('SET synchronous_commit = off');
    await client.query('INSERT INTO audit_log_heads (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING', [options.tenantId]);
    const { rows } = await client.query<{ size: string; frontier: Buffer[]; updated_at: Date }>(
      'SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = $1',
      [options.tenantId],
    );
    const startSize = Number(rows[0].size);
    const added = Math.max(0, options.target - startSize);
    let dropped = await droppedIndexes(client);
    if (added === 0 && dropped.length === 0) return { size: startSize, added: 0, seconds: 0, rowSeconds: 0, entriesPerSecond: 0 };

    if (added > 0 && dropped.length === 0 && (options.rebuildIndexes ?? added >= Math.max(100_000, startSize))) {
      dropped = await dropSecondaryIndexes(client);
      log(`  dropped ${dropped.length} secondary indexes of audit_entries (rebuilt after the rows)`);
    }
    let frontier: Frontier = { size: startSize, hashes: rows[0].frontier.map((hash) => new Uint8Array(hash)) };
    const now = Date.now();
    const clock: ClockSpec = {
      from: Math.max(startSize > 0 ? rows[0].updated_at.getTime() : 0, now - (options.spanDays ?? 365) * DAY_MS),
      to: now,
      count: added,
      startSeq: startSize,
    };
    const batch = options.batch ?? 20_000;
    const tenantBytes = uuidBytes(options.tenantId);
    pool = new LeafWorkers(options.workers ?? cpus().length, { tenantId: options.tenantId, population: options.population, seed: options.seed ?? 1, clock });
    const progressEvery = Math.max(batch, Math.round(added / 20 / batch) * batch);
    // Keep every worker busy: a few batches ahead of the one being copied.
    const ahead: Promise<LeafChunk>[] = [];
    let nextStart = startSize;
    const request = () => {
      const count = Math.min(batch, options.target - nextStart);
      if (count <= 0) return;
      ahead.push(handled(pool!.generate(nextStart, count)));
      nextStart += count;
    };
    for (let i = 0; i < pool.size * 2; i++) request();
    let copying: Promise<void> = Promise.resolve();
    for (let done = 0; done < added;) {
      const chunk = await ahead.shift()!;
      request();
      const nodes = new CopyWriter();
      let nodeCount = 0;
      for (let i = 0; i < chunk.count; i++) {
        const appended = appendToFrontier(frontier, chunk.leafHashes.subarray(i * 32, i * 32 + 32));
        frontier = appended.frontier;
        for (const node of appended.completedNodes) {
          nodes.row(4);
          nodes.bytes(tenantBytes);
          nodes.int2(node.level);
          nodes.int8(node.index);
          nodes.bytes(node.hash);
          nodeCount++;
        }
      }
      await copying;
      copying = handled(copyBatch(client, options.tenantId, chunk, nodeCount ? nodes.finish() : [], frontier));
      done += chunk.count;
      if (done % progressEvery < chunk.count || done === added) {
        const seconds = (performance.now() - started) / 1000;
        log(`  ${(startSize + done).toLocaleString('en')} entries (${seconds.toFixed(0)} s, ${Math.round(done / seconds).toLocaleString('en')} entries/s)`);
      }
    }
    await copying;
    await pool.close();
    pool = undefined;
    const rowSeconds = (performance.now() - started) / 1000;
    if (dropped.length) {
      await client.query(`SET maintenance_work_mem = '1GB'`);
      for (const index of dropped) {
        const t0 = performance.now();
        await client.query('BEGIN');
        await client.query(index.def);
        await client.query(`DELETE FROM ${DROPPED_INDEXES} WHERE name = $1`, [index.name]);
        await client.query('COMMIT');
        log(`  rebuilt ${index.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      await client.query(`DROP TABLE ${DROPPED_INDEXES}`);
    }
    const vacuumStarted = performance.now();
    await client.query('VACUUM (ANALYZE) audit_entries');
    await client.query('VACUUM (ANALYZE) audit_tree_nodes');
    log(`  VACUUM ANALYZE in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`);
    const seconds = (performance.now() - started) / 1000;
    log(
      `  ${added.toLocaleString('en')} entries in ${seconds.toFixed(1)} s (rows ${rowSeconds.toFixed(1)} s, indexes and vacuum ${(seconds - rowSeconds).toFixed(1)} s)`,
    );
    return { size: frontier.size, added, seconds, rowSeconds, entriesPerSecond: added / seconds };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await pool?.close();
    await client.end();
  }
}

/** A promise awaited later, marked handled now so that failing early is not an unhandled rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

// ---------------------------------------------------------------------------
// One batch: a transaction that locks the head, copies entries and nodes, moves the head

const ENTRY_COLUMNS =
  'tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, subject_user_id, conversation_id, message_id, policy_version, decided_by, denial_code, forced, search_text';
const COPY_ENTRIES = `COPY audit_entries (${ENTRY_COLUMNS}) FROM STDIN (FORMAT binary)`;
const COPY_NODES = 'COPY audit_tree_nodes (tenant_id, level, index, hash) FROM STDIN (FORMAT binary)';

async function copyBatch(client: Client, tenantId: string, chunk: LeafChunk, nodes: Buffer[], frontier: Frontier): Promise<void> {
  await client.query('BEGIN');
  const { rows } = await client.query<{ size: string }>('SELECT size FROM audit_log_heads WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
  if (Number(rows[0].size) !== chunk.startSeq)
    throw new Error(`the log head moved to ${rows[0].size} during the fill (expected ${chunk.startSeq}): something else appended`);
  await copyFrom(client, COPY_ENTRIES, chunk.entries);
  if (nodes.length) await copyFrom(client, COPY_NODES, nodes);
  await client.query('UPDATE audit_log_heads SET size = $2, frontier = $3::bytea[], updated_at = $4 WHERE tenant_id = $1', [
    tenantId,
    String(frontier.size),
    frontier.hashes.map((hash) => Buffer.from(hash)),
    new Date(chunk.lastAt),
  ]);
  await client.query('COMMIT');
}

/**
 * `COPY … FROM STDIN` through the pg client as a custom submittable (the extension point
 * pg-cursor and pg-copy-streams use): the query, then CopyData messages with backpressure, then
 * CopyDone. Resolves at ReadyForQuery; rejects with the server's error.
 */
function copyFrom(client: Client, sql: string, chunks: readonly Buffer[]): Promise<void> {
  interface Connection {
    query(text: string): void;
    endCopyFrom(): void;
    stream: NodeJS.WritableStream;
  }
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const pump = async (connection: Connection) => {
      for (const chunk of chunks) {
        if (failed) return;
        const header = Buffer.allocUnsafe(5);
        header[0] = 0x64; // CopyData
        header.writeInt32BE(chunk.length + 4, 1);
        connection.stream.write(header);
        if (!connection.stream.write(chunk)) await once(connection.stream, 'drain');
      }
      if (!failed) connection.endCopyFrom();
    };
    const submittable = {
      submit: (connection: Connection) => connection.query(sql),
      handleCopyInResponse: (connection: Connection) => {
        pump(connection).catch((error: Error) => {
          failed = true;
          reject(error);
        });
      },
      handleError: (error: Error) => {
        failed = true;
        reject(error);
      },
      handleReadyForQuery: () => {
        if (!failed) resolve();
      },
      handleCommandComplete: () => undefined,
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handlePortalSuspended: () => undefined,
      handleCopyData: () => undefined,
    };
    void client.query(submittable as unknown as Parameters<Client['query']>[0]);
  });
}

/** Secondary (non-constraint) indexes of audit_entries: dropped, their definitions kept in DROPPED_INDEXES until rebuilt. */
async function dropSecondaryIndexes(client: Client): Promise<{ name: string; def: string }[]> {
  await client.query('BEGIN');
  await client.query(`CREATE TABLE ${DROPPED_INDEXES} (name text PRIMARY KEY, def text NOT NULL)`);
  const { rows } = await client.query<{ name: string; def: string }>(`
    INSERT INTO ${DROPPED_INDEXES} (name, def)
    SELECT i.relname, pg_get_indexdef(i.oid)
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = 'audit_entries'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
    RETURNING name, def`);
  for (const row of rows) await client.query(`DROP INDEX ${quoteIdent(row.name)}`);
  await client.query('COMMIT');
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

async function droppedIndexes(client: Client): Promise<{ name: string; def: string }[]> {
  const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [DROPPED_INDEXES]);
  if (!rows[0].present) return [];
  return (await client.query<{ name: string; def: string }>(`SELECT name, def FROM ${DROPPED_INDEXES} ORDER BY name`)).rows;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

// ---------------------------------------------------------------------------
// Leaf workers: entries [startSeq, startSeq + count) as COPY rows plus their leaf hashes

interface WorkerSetup {
  tenantId: string;
  population: AuditPopulation;
  seed: number;
  clock: ClockSpec;
}

interface LeafChunk {
  startSeq: number;
  count: number;
  /** COPY rows of audit_entries (binary format, header and trailer included). */
  entries: Buffer[];
  /** count × 32 bytes. */
  leafHashes: Uint8Array;
  /** Time of the last entry (ms). */
  lastAt: number;
}

class LeafWorkers {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (chunk: LeafChunk) => void; reject: (error: Error) => void }>();
  private turn = 0;

  constructor(count: number, setup: WorkerSetup) {
    const bootstrap = `require('@swc-node/register'); require(${JSON.stringify(__filename)});`;
    this.workers = Array.from({ length: Math.max(1, count) }, () => {
      const worker = new Worker(bootstrap, { eval: true, workerData: { fillAuditLogWorker: setup } });
      worker.on('message', (chunk: LeafChunk) => {
        const waiter = this.waiting.get(chunk.startSeq);
        this.waiting.delete(chunk.startSeq);
        waiter?.resolve({ ...chunk, entries: chunk.entries.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)) });
      });
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.failAll(new Error(`a leaf worker exited with code ${code}`));
      });
      return worker;
    });
  }

  get size() {
    return this.workers.length;
  }

  generate(startSeq: number, count: number): Promise<LeafChunk> {
    return new Promise((resolve, reject) => {
      this.waiting.set(startSeq, { resolve, reject });
      this.workers[this.turn++ % this.workers.length].postMessage({ startSeq, count });
    });
  }

  async close() {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private failAll(error: Error) {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}

function leafChunk(setup: WorkerSetup, timeAt: (seq: number) => number, startSeq: number, count: number): LeafChunk {
  // Each batch draws from its own seeded generator, so the history does not depend on how many workers made it.
  const activity = new SyntheticActivity(setup.population, setup.seed, startSeq);
  const tenantBytes = uuidBytes(setup.tenantId);
  const entries = new CopyWriter();
  const leafHashes = new Uint8Array(count * 32);
  let lastAt = 0;
  for (let i = 0; i < count; i++) {
    const seq = startSeq + i;
    const at = timeAt(seq);
    lastAt = at;
    const draft = activity.next(seq, at);
    // The leaf as AuditLog.append builds it from a draft, without the sealed parts (there are no data keys here).
    const entry = { ...unplacedEntry(setup.tenantId, draft, { content: null, personal: null }), seq, occurredAt: new Date(at).toISOString() } as AuditEntry;
    const leaf = encodeLeaf(entry);
    const leafHash = hashLeaf(leaf);
    leafHashes.set(leafHash, i * 32);
    entries.row(15);
    entries.bytes(tenantBytes);
    entries.int8(seq);
    entries.bytes(leaf);
    entries.bytes(leafHash);
    entries.timestamptz(at);
    entries.text(draft.action);
    entries.uuid(draft.actorId);
    entries.uuid(draft.subjectUserId ?? null);
    entries.uuid(draft.conversationId ?? null);
    entries.uuid(draft.messageId ?? null);
    entries.int4(draft.policyVersion ?? null);
    entries.text(draft.decidedBy ?? null);
    entries.text(draft.denialCode ?? null);
    entries.bool(draft.forced ?? false);
    entries.text(searchTextOf(draft));
  }
  return { startSeq, count, entries: entries.finish(), leafHashes, lastAt };
}

if (!isMainThread && (workerData as { fillAuditLogWorker?: WorkerSetup } | null)?.fillAuditLogWorker) {
  const setup = (workerData as { fillAuditLogWorker: WorkerSetup }).fillAuditLogWorker;
  const timeAt = officeHoursClock(setup.clock);
  parentPort!.on('message', ({ startSeq, count }: { startSeq: number; count: number }) => {
    const chunk = leafChunk(setup, timeAt, startSeq, count);
    parentPort!.postMessage(chunk, [chunk.leafHashes.buffer as ArrayBuffer]);
  });
}

// ---------------------------------------------------------------------------
// PostgreSQL's binary COPY format: header, rows of length-prefixed fields, trailer; 1 MiB chunks

class CopyWriter {
  private static readonly CHUNK = 1 << 20;
  private readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(CopyWriter.CHUNK);
  private at = 0;

  constructor() {
    this.buffer.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
    this.buffer.writeInt32BE(0, 11); // flags
    this.buffer.writeInt32BE(0, 15); // header extension length
    this.at = 19;
  }

  row(fields: number) {
    this.room(2);
    this.at = this.buffer.writeInt16BE(fields, this.at);
  }

  bytes(value: Uint8Array) {
    this.room(4 + value.length);
    this.at = this.buffer.writeInt32BE(value.length, this.at);
    this.buffer.set(value, this.at);
    this.at += value.length;
  }

  text(value: string | null) {
    if (value === null) return this.null();
    const length = Buffer.byteLength(value);
    this.room(4 + length);
    this.at = this.buffer.writeInt32BE(length, this.at);
    this.at += this.buffer.write(value, this.at, 'utf8');
  }

  uuid(value: string | null) {
    if (value === null) return this.null();
    this.room(20);
    this.at = this.buffer.writeInt32BE(16, this.at);
    for (let i = 0; i < 36; i += 2) {
      if (value.charCodeAt(i) === 45) i++; // '-'
      this.buffer[this.at++] = (hexValue(value.charCodeAt(i)) << 4) | hexValue(value.charCodeAt(i + 1));
    }
  }

  int2(value: number) {
    this.room(6);
    this.at = this.buffer.writeInt32BE(2, this.at);
    this.at = this.buffer.writeInt16BE(value, this.at);
  }

  int4(value: number | null) {
    if (value === null) return this.null();
    this.room(8);
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeInt32BE(value, this.at);
  }

  int8(value: number) {
    this.room(12);
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeBigInt64BE(BigInt(value), this.at);
  }

  bool(value: boolean) {
    this.room(5);
    this.at = this.buffer.writeInt32BE(1, this.at);
    this.buffer[this.at++] = value ? 1 : 0;
  }

  /** Microseconds since 2000-01-01T00:00:00Z. */
  timestamptz(ms: number) {
    this.room(12);
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeBigInt64BE(BigInt(ms - 946_684_800_000) * 1000n, this.at);
  }

  finish(): Buffer[] {
    this.room(2);
    this.at = this.buffer.writeInt16BE(-1, this.at);
    this.chunks.push(this.buffer.subarray(0, this.at));
    return this.chunks;
  }

  private null() {
    this.room(4);
    this.at = this.buffer.writeInt32BE(-1, this.at);
  }

  private room(bytes: number) {
    if (this.at + bytes <= this.buffer.length) return;
    this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(CopyWriter.CHUNK, bytes));
    this.at = 0;
  }
}

function hexValue(code: number): number {
  return code <= 57 ? code - 48 : (code | 32) - 87;
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

// ---------------------------------------------------------------------------
// Time: entries startSeq … startSeq + count - 1 spread from `from` to `to`, never decreasing,
// denser in weekday office hours (UTC); any seq's time can be computed on its own

interface ClockSpec {
  from: number;
  to: number;
  count: number;
  startSeq: number;
}

function officeHoursClock({ from, to, count, startSeq }: ClockSpec): (seq: number) => number {
  const hours = Math.max(1, Math.ceil((to - from) / HOUR_MS));
  const weights = new Float64Array(hours);
  let total = 0;
  for (let h = 0; h < hours; h++) {
    const at = new Date(from + h * HOUR_MS);
    const day = at.getUTCDay();
    const hour = at.getUTCHours();
    const weekday = day !== 0 && day !== 6;
    weights[h] = (weekday ? 1 : 0.12) * (hour >= 8 && hour < 18 ? 1 : hour >= 6 && hour < 22 ? 0.3 : 0.04);
    total += weights[h];
  }
  // Entries per hour by largest remainder, so they add up to exactly `count`; `before[h]` = entries before hour h.
  const perHour = new Float64Array(hours);
  let assigned = 0;
  for (let h = 0; h < hours; h++) {
    perHour[h] = Math.floor((weights[h] / total) * count);
    assigned += perHour[h];
  }
  for (let h = 0; assigned < count; h = (h + 1) % hours) {
    if (weights[h] === 0) continue;
    perHour[h]++;
    assigned++;
  }
  const before = new Float64Array(hours + 1);
  for (let h = 0; h < hours; h++) before[h + 1] = before[h] + perHour[h];
  return (seq) => {
    const offset = seq - startSeq;
    // The hour h with before[h] <= offset < before[h + 1].
    let lo = 0;
    let hi = hours - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (before[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const start = from + lo * HOUR_MS;
    const end = Math.min(to, start + HOUR_MS);
    const at = Math.floor(start + ((offset - before[lo] + 0.5) / Math.max(1, perHour[lo])) * (end - start));
    return Math.min(to, Math.max(from, at));
  };
}

// ---------------------------------------------------------------------------
// Activity: what a large organisation's log holds, in proportions seen in practice

type Weighted<T> = readonly (readonly [T, number])[];

const ACTION_MIX: Weighted<AuditAction> = [
  ['MESSAGE_RECALLED', 0.54],
  ['RECALL_DENIED', 0.3],
  ['MESSAGE_REEDITED', 0.07],
  ['AUDIT_CONTENT_VIEWED', 0.05],
  ['PASSWORD_CHANGED', 0.012],
  ['EXPORT_CREATED', 0.008],
  ['USER_CREATED', 0.005],
  ['ROLE_CHANGED', 0.003],
  ['USER_DEACTIVATED', 0.002],
  ['USER_REACTIVATED', 0.0008],
  ['LEGAL_HOLD_PLACED', 0.0004],
  ['LEGAL_HOLD_RELEASED', 0.0003],
  ['WEBHOOK_CHANGED', 0.0003],
  ['CONTENT_ERASED', 0.0002],
  ['ERASURE_REFUSED', 0.0001],
  ['RETENTION_SHREDDED', 0.0001],
];

// ALREADY_RECALLED is never recorded (recall-steps.ts), so it is not here.
const DENIAL_MIX: Weighted<readonly [code: string, rule: string | null]> = [
  [['WINDOW_EXPIRED', null], 0.42],
  [['NOT_SENDER', 'BUILT_IN:SENDER_ONLY'], 0.16],
  [['RATE_LIMITED', null], 0.12],
  [['TYPE_NOT_RECALLABLE', 'BUILT_IN:PAYMENT_TYPES'], 0.1],
  [['REASON_REQUIRED', null], 0.08],
  [['REEDIT_EXPIRED', null], 0.04],
  [['BATCH_TOO_LARGE', null], 0.04],
  [['BATCH_DISABLED', null], 0.02],
  [['RECALL_OFF', null], 0.02],
];

const MESSAGE_TYPE_MIX: Weighted<string> = [
  ['TEXT', 0.7],
  ['IMAGE', 0.12],
  ['FILE', 0.07],
  ['VOICE', 0.05],
  ['VIDEO', 0.04],
  ['LOCATION', 0.02],
];

const FORCED_REASONS = [
  'Sent to the wrong customer',
  'Contains a client account number',
  'Personal data shared in a group chat',
  'Draft pricing sent before approval',
  'Legal asked to pull this message',
  'Wrong attachment',
];

const REASONS = ['typo', 'wrong chat', 'sent too early', 'wrong file', 'duplicate', 'meant for another team'];

/** A value of `mix` for u in [0, 1), each with probability proportional to its weight. */
function pick<T>(mix: Weighted<T>, u: number): T {
  let rest = u * mix.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of mix) {
    if (rest < weight) return value;
    rest -= weight;
  }
  return mix[mix.length - 1][0];
}

/** mulberry32: small, fast, seeded; the history is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

interface RecalledMessage {
  seq: number;
  messageId: string;
  conversationId: string;
  senderId: string;
  actorId: string;
}

/** The policy changes every POLICY_EVERY entries, so any batch knows the version in force. */
const POLICY_EVERY = 1_700;

/**
 * Draws one plausible draft at a time for one batch; remembers a little within the batch (recent
 * recalls for re-edits and content views, open legal holds).
 */
class SyntheticActivity {
  private random: () => number;
  private readonly conversations: string[];
  private readonly recent: RecalledMessage[] = [];
  private readonly holds: string[] = [];

  constructor(
    private readonly people: AuditPopulation,
    seed: number,
    startSeq: number,
  ) {
    if (people.employees.length === 0) throw new Error('the population needs at least one employee');
    // The organisation's conversations depend on the seed only; the rest of the batch on seed and position.
    this.random = prng(seed);
    this.conversations = Array.from({ length: Math.max(50, people.employees.length * 8) }, () => this.uuid());
    this.random = prng((seed * 2_654_435_761 + startSeq) >>> 0);
  }

  private policyVersion = 1;

  next(seq: number, at: number): AuditDraft {
    this.policyVersion = 1 + Math.floor(seq / POLICY_EVERY);
    const action: AuditAction = seq % POLICY_EVERY === POLICY_EVERY - 1 ? 'POLICY_CHANGED' : pick(ACTION_MIX, this.random());
    switch (action) {
      case 'MESSAGE_RECALLED':
        return this.recall(seq, at);
      case 'RECALL_DENIED':
        return this.denial(at);
      case 'MESSAGE_REEDITED':
        return this.reEdit(seq, at);
      case 'AUDIT_CONTENT_VIEWED':
        return this.contentView(seq);
      case 'EXPORT_CREATED':
        return this.exportCreated(seq, at);
      case 'POLICY_CHANGED': {
        // This entry records the change to the version the following entries decide under.
        const toVersion = this.policyVersion + 1;
        return {
          action,
          actorId: this.one(this.people.admins),
          details: { fromVersion: toVersion - 1, toVersion, diff: { windowSeconds: { from: 120, to: 120 + 60 * (1 + Math.floor(this.random() * 10)) } } },
        };
      }
      case 'LEGAL_HOLD_PLACED': {
        const holdId = this.uuid();
        this.holds.push(holdId);
        const onUser = this.random() < 0.6;
        return {
          action,
          actorId: this.one(this.people.compliance),
          ...(onUser ? { subjectUserId: this.employee() } : { conversationId: this.conversation() }),
          details: { holdId, scope: onUser ? 'USER' : 'CONVERSATION' },
        };
      }
      case 'LEGAL_HOLD_RELEASED':
        return { action, actorId: this.one(this.people.compliance), details: { holdId: this.holds.shift() ?? this.uuid(), scope: 'USER' } };
      case 'WEBHOOK_CHANGED':
        return {
          action,
          actorId: this.one(this.people.admins),
          details: {
            change: this.random() < 0.7 ? 'CREATED' : 'DELETED',
            webhookId: this.uuid(),
            url: 'https://hooks.example.com/retract',
            eventTypes: ['message.recalled'],
          },
        };
      case 'CONTENT_ERASED':
        return {
          action,
          actorId: this.one(this.people.compliance),
          subjectUserId: this.employee(),
          details: { keysDestroyed: 3, dataKeyIds: [this.uuid(), this.uuid(), this.uuid()] },
        };
      case 'ERASURE_REFUSED':
        return {
          action,
          actorId: this.one(this.people.compliance),
          subjectUserId: this.employee(),
          details: { holdIds: [this.holds[0] ?? this.uuid()], matters: ['Matter 2026-114'] },
        };
      case 'RETENTION_SHREDDED':
        return {
          action,
          actorId: null,
          details: { retentionDays: 2555, cutoff: new Date(at - 2555 * DAY_MS).toISOString(), dataKeyIds: [this.uuid()], periods: ['2019-04'] },
        };
      case 'PASSWORD_CHANGED': {
        const user = this.employee();
        return { action, actorId: user, subjectUserId: user, details: { by: 'SELF' } };
      }
      default: {
        // USER_CREATED, ROLE_CHANGED, USER_DEACTIVATED, USER_REACTIVATED
        const subject = this.employee();
        return {
          action,
          actorId: this.one(this.people.admins),
          subjectUserId: subject,
          details: { email: `user-${subject.slice(0, 8)}@example.test`, roles: ['EMPLOYEE'] },
        };
      }
    }
  }

  private recall(seq: number, at: number): AuditDraft {
    const forced = this.random() < 0.04;
    const sender = this.employee();
    const actorId = forced ? this.one(this.people.admins) : sender;
    const conversationIndex = this.conversationIndex();
    const conversationId = this.conversations[conversationIndex];
    const kind = conversationIndex % 10 < 7 ? 'DIRECT' : 'GROUP';
    const recipients = this.recipients(conversationIndex, kind, sender);
    const messageId = this.uuid();
    const messageType = pick(MESSAGE_TYPE_MIX, this.random());
    const sentAt = new Date(at - 5_000 - Math.floor(this.random() * 110_000)).toISOString();
    const rule = forced ? 'BUILT_IN:FORCED_RECALL' : kind === 'GROUP' && this.random() < 0.5 ? 'CONVERSATION_KIND:GROUP' : 'TENANT_DEFAULT';
    const reason = forced ? this.one(FORCED_REASONS) : this.random() < 0.1 ? this.one(REASONS) : null;
    const reEditUntil = messageType === 'TEXT' && !forced ? new Date(at + 300_000).toISOString() : null;
    this.remember({ seq, messageId, conversationId, senderId: sender, actorId });
    return {
      action: 'MESSAGE_RECALLED',
      actorId,
      subjectUserId: sender,
      conversationId,
      messageId,
      policyVersion: this.policyVersion,
      decidedBy: rule,
      forced,
      reason,
      details: {
        messageType,
        sentAt,
        conversationKind: kind,
        recipients,
        alreadyDeliveredTo:
          messageType !== 'TEXT' && messageType !== 'LOCATION' && recipients.length && this.random() < 0.3
            ? [{ userId: recipients[0], displayName: 'Recipient', at: sentAt }]
            : [],
        policyInForce: rule === 'BUILT_IN:FORCED_RECALL' ? 'TENANT_DEFAULT' : rule,
        reEditUntil,
        attempt: this.attempt(messageId, messageType, sender, actorId, forced, conversationId, kind, sentAt, at, reason !== null, { allowed: true }),
      },
    };
  }

  private denial(at: number): AuditDraft {
    const [code, builtIn] = pick(DENIAL_MIX, this.random());
    const sender = this.employee();
    const actorId = code === 'NOT_SENDER' ? this.employee() : sender;
    const conversationIndex = this.conversationIndex();
    const conversationId = this.conversations[conversationIndex];
    const kind = conversationIndex % 10 < 7 ? 'DIRECT' : 'GROUP';
    const messageId = this.uuid();
    const messageType = code === 'TYPE_NOT_RECALLABLE' ? (this.random() < 0.5 ? 'RED_PACKET' : 'TRANSFER') : pick(MESSAGE_TYPE_MIX, this.random());
    const age = code === 'WINDOW_EXPIRED' ? 300_000 + Math.floor(this.random() * 3 * DAY_MS) : 5_000 + Math.floor(this.random() * 100_000);
    const sentAt = new Date(at - age).toISOString();
    const rule = builtIn ?? (kind === 'GROUP' && this.random() < 0.5 ? 'CONVERSATION_KIND:GROUP' : 'TENANT_DEFAULT');
    return {
      action: 'RECALL_DENIED',
      actorId,
      subjectUserId: sender,
      conversationId,
      messageId,
      policyVersion: this.policyVersion,
      decidedBy: rule,
      denialCode: code,
      forced: false,
      reason: null,
      details: {
        messageType,
        sentAt,
        conversationKind: kind,
        policyInForce: builtIn ? 'TENANT_DEFAULT' : rule,
        retryAfterSeconds: code === 'RATE_LIMITED' ? 60 + Math.floor(this.random() * 3000) : null,
        attempt: this.attempt(messageId, messageType, sender, actorId, false, conversationId, kind, sentAt, at, false, { allowed: false, code }),
      },
    };
  }

  private reEdit(seq: number, at: number): AuditDraft {
    const recalled = this.recalled() ?? { seq, messageId: this.uuid(), conversationId: this.conversation(), senderId: this.employee(), actorId: '' };
    return {
      action: 'MESSAGE_REEDITED',
      actorId: recalled.senderId,
      subjectUserId: recalled.senderId,
      conversationId: recalled.conversationId,
      messageId: this.uuid(),
      details: { replacesMessageId: recalled.messageId, recallAuditSeq: recalled.seq, messageType: 'TEXT', reEditUntil: new Date(at + 120_000).toISOString() },
    };
  }

  private contentView(seq: number): AuditDraft {
    const viewed = this.recalled();
    return {
      action: 'AUDIT_CONTENT_VIEWED',
      actorId: this.one(this.people.compliance),
      subjectUserId: viewed?.senderId ?? null,
      conversationId: viewed?.conversationId ?? null,
      messageId: viewed?.messageId ?? null,
      details: { viewedSeq: viewed?.seq ?? Math.max(0, seq - 1) },
    };
  }

  private exportCreated(seq: number, at: number): AuditDraft {
    const days = 1 + Math.floor(this.random() * 90);
    return {
      action: 'EXPORT_CREATED',
      actorId: this.one(this.people.compliance),
      details: {
        format: this.random() < 0.7 ? 'jsonl' : 'csv',
        fromSeq: Math.max(0, seq - days * 1000),
        toSeq: seq,
        from: new Date(at - days * DAY_MS).toISOString().slice(0, 10),
        to: null,
      },
    };
  }

  private attempt(
    messageId: string,
    messageType: string,
    senderId: string,
    actorId: string,
    forced: boolean,
    conversationId: string,
    kind: string,
    sentAt: string,
    at: number,
    reasonPresent: boolean,
    outcome: { allowed: true } | { allowed: false; code: string },
  ): Record<string, JsonValue> {
    const recent = Math.floor(this.random() * 4);
    return {
      messageId,
      messageType,
      senderId,
      actorId,
      forced,
      conversation: { id: conversationId, kind },
      sentAt,
      attemptedAt: new Date(at).toISOString(),
      reasonPresent,
      recentRecallCount: recent,
      recentRecallOldestAt: recent ? new Date(at - Math.floor(this.random() * HOUR_MS)).toISOString() : null,
      batchSize: null,
      outcome,
    };
  }

  private recipients(conversationIndex: number, kind: string, sender: string): string[] {
    const { employees } = this.people;
    const size = kind === 'DIRECT' ? 1 : 2 + (conversationIndex % 11);
    const members = new Set<string>();
    for (let k = 1; members.size < size && k <= size * 3; k++) {
      const member = employees[(conversationIndex * 7919 + k * 104_729) % employees.length];
      if (member !== sender) members.add(member);
    }
    return [...members].sort();
  }

  private remember(message: RecalledMessage) {
    this.recent.push(message);
    if (this.recent.length > 512) this.recent.shift();
  }

  private recalled(): RecalledMessage | undefined {
    return this.recent.length ? this.recent[Math.floor(this.random() * this.recent.length)] : undefined;
  }

  /** A few people do most of the recalling: index ~ N·u³ puts ~46% of the activity on the busiest 10%. */
  private employee(): string {
    const { employees } = this.people;
    return employees[Math.floor(employees.length * this.random() ** 3)];
  }

  private conversationIndex(): number {
    return Math.floor(this.conversations.length * this.random() ** 2);
  }

  private conversation(): string {
    return this.conversations[this.conversationIndex()];
  }

  private one<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error('the population needs at least one admin and one compliance officer');
    return values[Math.floor(this.random() * values.length)];
  }

  /** A version 4 UUID from the seeded generator. */
  private uuid(): string {
    let hex = '';
    for (let i = 0; i < 16; i++) {
      let byte = Math.floor(this.random() * 256);
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      if (i === 8) byte = (byte & 0x3f) | 0x80;
      hex += HEX[byte];
      if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-';
    }
    return hex;
  }
}
