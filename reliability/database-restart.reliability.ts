/**
 * Database restart mid-load: PostgreSQL (a server of the scenario's own) is stopped with a fast
 * shutdown while clients of two organisations send and recall messages, stays away for
 * OUTAGE_SECONDS and is started again. Meanwhile /readyz answers 503, every request that fails is
 * answered with a 503 problem and Retry-After within the documented wait (DB_CONNECT_TIMEOUT_MS)
 * and none hangs; the same API process recovers by itself; every acknowledged recall is applied
 * and audited exactly once, seqs are gap-free and the log verifies; and an event stream opened
 * before the outage, resuming by Last-Event-ID as EventSource does, receives every event after
 * its start exactly once. docs/architecture.md "Database outages".
 */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ApiClient } from './support/api-client';
import { ResumingEventStream } from './support/event-stream';
import { createOrganisation, type Employee, type Organisation } from './support/organisations';
import { startPostgresServer, type PostgresServer } from './support/postgres-server';
import { startProduct, type Product } from './support/product';
import { checkRecallTrail } from './support/recall-trail';
import { eventually, report, sleep } from './support/report';

const ORGANISATIONS = 2;
const EMPLOYEES = 3;
const LOAD_BEFORE_SECONDS = 4;
const OUTAGE_SECONDS = Number(process.env.DB_RESTART_OUTAGE_SECONDS ?? 5);
const LOAD_AFTER_SECONDS = 4;
/** The API's documented longest wait for a database connection (its default, README "Configuration"). */
const CONNECT_TIMEOUT_MS = 5000;
/** What an answer may take beyond it on a shared two-core machine. */
const SLACK_MS = 2000;
/** A request unanswered this long has hung. */
const HANG_MS = 30_000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

type Outcome = Answer | { error: string; ms: number };

interface Attempt {
  organisation: Organisation;
  employee: Employee;
  kind: 'send' | 'recall';
  messageId?: string;
  startedAt: number;
  outcome?: Outcome;
}

const answered = (outcome: Outcome | undefined): outcome is Answer => outcome !== undefined && 'status' in outcome;

/** One JSON request with its headers and time, given up on after HANG_MS (then it counts as hung). */
function call(base: URL, method: string, path: string, token?: string, body?: unknown): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(new URL(path, base), {
      method,
      headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeout: HANG_MS,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('hung')));
    req.on('error', (error) => resolve({ error: error.message, ms: performance.now() - started }));
    req.end(payload);
  });
}

/** Why a failed answer is not the promised one (a 503 problem with Retry-After in time), or undefined when it is. */
function unavailableAnswerFault(outcome: Outcome): string | undefined {
  if (!answered(outcome)) return `no answer (${outcome.error}) after ${outcome.ms.toFixed(0)} ms`;
  const problem = (() => {
    try {
      return JSON.parse(outcome.body) as { type?: string; title?: string; code?: string; status?: number };
    } catch {
      return {};
    }
  })();
  const faults = [
    outcome.status !== 503 && `status ${outcome.status}`,
    !String(outcome.headers['content-type']).startsWith('application/problem+json') && `content-type ${outcome.headers['content-type']}`,
    !(problem.type && problem.title && problem.code && problem.status === 503) && `body ${outcome.body.slice(0, 200)}`,
    !(Number(outcome.headers['retry-after']) >= 1) && `Retry-After ${outcome.headers['retry-after']}`,
    outcome.ms > CONNECT_TIMEOUT_MS + SLACK_MS && `answered after ${outcome.ms.toFixed(0)} ms`,
  ].filter(Boolean);
  return faults.length ? faults.join(', ') : undefined;
}

/** Every send and recall of the clients, with what they heard back. */
class Load {
  readonly attempts: Attempt[] = [];
  stopped = false;

  constructor(private readonly base: URL) {}

  async run(organisation: Organisation, employee: Employee): Promise<void> {
    let n = 0;
    while (!this.stopped) {
      const send = this.record({ organisation, employee, kind: 'send', startedAt: performance.now() });
      send.outcome = await call(this.base, 'POST', `/api/v1/conversations/${employee.conversationId}/messages`, employee.token, {
        type: 'TEXT',
        body: `restart test #${n++}`,
      });
      if (!answered(send.outcome) || send.outcome.status !== 201) {
        await sleep(100);
        continue;
      }
      send.messageId = (JSON.parse(send.outcome.body) as { id: string }).id;
      const recall = this.record({ organisation, employee, kind: 'recall', messageId: send.messageId, startedAt: performance.now() });
      recall.outcome = await call(this.base, 'POST', `/api/v1/messages/${send.messageId}/recall`, employee.token, {});
    }
  }

  private record(attempt: Attempt): Attempt {
    this.attempts.push(attempt);
    return attempt;
  }

  acknowledged = (kind: Attempt['kind']) =>
    this.attempts.filter((a) => a.kind === kind && answered(a.outcome) && a.outcome.status === (kind === 'send' ? 201 : 200));
  failed = () => this.attempts.filter((a) => !answered(a.outcome) || a.outcome.status >= 300);
}

/** /readyz every 200 ms: its answers while the database was away, and when it said 200 again. */
class ReadinessWatch {
  readonly samples: { at: number; outcome: Outcome }[] = [];
  private stopped = false;
  private loop?: Promise<void>;

  constructor(private readonly base: URL) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const at = performance.now();
        this.samples.push({ at, outcome: await call(this.base, 'GET', '/readyz') });
        await sleep(200);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  firstReadyAfter(at: number): number | undefined {
    return this.samples.find((s) => s.at >= at && answered(s.outcome) && s.outcome.status === 200)?.at;
  }
}

describe('database restart mid-load', () => {
  let server: PostgresServer;
  let product: Product;
  let api: ApiClient;
  let stream: ResumingEventStream | undefined;
  let load: Load | undefined;
  let readiness: ReadinessWatch | undefined;

  beforeAll(async () => {
    server = await startPostgresServer();
    product = await startProduct('dbrestart', { AUDIT_PENDING_SWEEP_SECONDS: '2', AUDIT_CHECKPOINT_EVERY: '64' }, server.url());
    api = new ApiClient(product.base);
  });
  afterAll(async () => {
    if (load) load.stopped = true;
    await readiness?.stop();
    stream?.close();
    api?.close();
    await product?.dispose();
    await server?.dispose();
  });

  /** Every event the user may see after `after`, from the log itself (GET /api/v1/events, JSON pages). */
  async function eventLog(token: string, after: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor = after;
    for (;;) {
      const page = await api.json<{ items: { id: string }[]; lastEventId: string; hasMore: boolean }>(
        'GET',
        `/api/v1/events?lastEventId=${cursor}&limit=500`,
        token,
      );
      ids.push(...page.items.map((item) => item.id));
      cursor = page.lastEventId;
      if (!page.hasMore) return ids;
    }
  }

  it('answers 503 with Retry-After while PostgreSQL is away, recovers by itself and loses nothing acknowledged', async () => {
    const organisations: Organisation[] = [];
    for (let i = 0; i < ORGANISATIONS; i++) organisations.push(await createOrganisation(api, product.platformToken, EMPLOYEES));
    const apiPid = product.api.child.pid;

    // The peer of employee 0 sees the conversations of employees 0 and 1 of the first organisation.
    const watcher = organisations[0].employees[1];
    const streamStart = (await eventLog(watcher.token, '0')).at(-1) ?? '0';
    stream = new ResumingEventStream(product.base, watcher.token, streamStart);
    await stream.open();

    load = new Load(product.base);
    readiness = new ReadinessWatch(product.base);
    readiness.start();
    const clients = Promise.all(organisations.flatMap((organisation) => organisation.employees.map((employee) => load!.run(organisation, employee))));
    await sleep(LOAD_BEFORE_SECONDS * 1000);

    const acknowledgedBefore = load.acknowledged('recall').length;
    const stopAt = performance.now();
    await server.stop();
    const downAt = performance.now();
    await sleep(OUTAGE_SECONDS * 1000);
    const startAt = performance.now();
    await server.start();
    const upAt = performance.now();
    await eventually('/readyz to answer 200 again', 60_000, async () => readiness!.firstReadyAfter(upAt) !== undefined);
    const readyAt = readiness.firstReadyAfter(upAt)!;
    const acknowledgedAtRecovery = load.acknowledged('recall').length;
    await sleep(LOAD_AFTER_SECONDS * 1000);
    load.stopped = true;
    await clients;
    await readiness.stop();

    // The same process served before, during and after: it recovered without a restart.
    expect({ pid: product.api.child.pid, exitCode: product.api.child.exitCode }).toEqual({ pid: apiPid, exitCode: null });
    expect(load.acknowledged('recall').length).toBeGreaterThan(acknowledgedAtRecovery);

    // /readyz said 503 (a problem with Retry-After) all the while the server was down.
    const whileDown = readiness.samples.filter((s) => s.at >= downAt && s.at + s.outcome.ms < startAt);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.map((s) => unavailableAnswerFault(s.outcome)).filter(Boolean)).toEqual([]);

    // Every request that failed was answered as promised, and none hung.
    const failed = load.failed();
    const faults = failed.map((a) => unavailableAnswerFault(a.outcome!)).filter(Boolean);
    expect(faults).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);

    // Audit entries left pending by the outage are integrated by the sweep once the database is back.
    const owner = new Client({ connectionString: product.database.ownerUrl });
    await owner.connect();
    try {
      await eventually(
        'no audit entry left pending',
        60_000,
        async () => Number((await owner.query<{ n: string }>('SELECT count(*) AS n FROM audit_pending')).rows[0].n) === 0,
      );
    } finally {
      await owner.end();
    }

    const exportDir = mkdtempSync(join(tmpdir(), 'retract-dbrestart-'));
    let lost = 0;
    let appliedUnacknowledged = 0;
    const problems: string[] = [];
    for (const organisation of organisations) {
      const claims = load.attempts
        .filter((a) => a.organisation === organisation && a.kind === 'recall')
        .map((a) => ({
          messageId: a.messageId!,
          acknowledgedSeq: answered(a.outcome) && a.outcome.status === 200 ? (JSON.parse(a.outcome.body) as { auditSeq: number }).auditSeq : undefined,
        }));
      const trail = await checkRecallTrail(api, organisation, claims, exportDir);
      lost += trail.lost;
      appliedUnacknowledged += trail.appliedUnacknowledged;
      problems.push(...trail.problems);
    }

    // The stream opened before the outage has every event after its start, once and in order.
    const logged = await eventLog(watcher.token, streamStart);
    await eventually('the event stream to catch up with the log', 30_000, async () => stream!.events.length >= logged.length);
    const streamed = stream.events.map((e) => e.id);
    expect(streamed).toEqual(logged);
    const watched = new Set([organisations[0].employees[0].conversationId, watcher.conversationId]);
    const expectedEvents = [
      ...load
        .acknowledged('send')
        .filter((a) => watched.has(a.employee.conversationId))
        .map((a) => `message.created ${a.messageId}`),
      ...load
        .acknowledged('recall')
        .filter((a) => watched.has(a.employee.conversationId))
        .map((a) => `message.recalled ${a.messageId}`),
    ];
    const streamedEvents = new Set(stream.events.map((e) => `${e.event} ${e.data.messageId}`));
    expect(expectedEvents.filter((event) => !streamedEvents.has(event))).toEqual([]);

    const answeredFailures = failed.filter((a) => answered(a.outcome));
    const slowest = Math.max(0, ...answeredFailures.map((a) => a.outcome!.ms));
    report('database-restart', [
      `${ORGANISATIONS} organisations × ${EMPLOYEES} clients sending and recalling; PostgreSQL stopped (fast) after ${acknowledgedBefore} acknowledged recalls, away ${((startAt - stopAt) / 1000).toFixed(1)} s`,
      `acknowledged: ${load.acknowledged('recall').length} recalls, ${load.acknowledged('send').length} sends   failed with a 503 problem + Retry-After: ${answeredFailures.length} (slowest answer ${slowest.toFixed(0)} ms; limit ${CONNECT_TIMEOUT_MS} ms + ${SLACK_MS} ms)   hung: 0`,
      `/readyz while down: ${whileDown.length} answers, all 503   seconds from PostgreSQL up to /readyz 200: ${((readyAt - upAt) / 1000).toFixed(1)} (start took ${((upAt - startAt) / 1000).toFixed(1)} s)`,
      `lost: ${lost}   recalls applied without a 200 (answer lost in the outage): ${appliedUnacknowledged}   event stream: ${streamed.length} events, ${stream.reconnects} reconnects, none missing`,
    ]);
    expect(problems).toEqual([]);
    expect(lost).toBe(0);
  });
});
