/**
 * Browsing a very large audit log: latency of GET /api/v1/audit pages (first, next by cursor,
 * deep, each filter, text search) and of inclusion / consistency proofs, with one tenant holding
 * BENCH_BROWSE_ENTRIES entries (default 10,000,000).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:browse
 *   BENCH_BROWSE_ENTRIES=1000000 npm run bench:browse                          (a quicker run)
 *
 * 1. A throwaway database (dropped at the end) gets the migrations, one organisation with
 *    BENCH_BROWSE_USERS employees (default 2,000), three admins and two compliance officers.
 *    BENCH_BROWSE_DATABASE=<name> uses and keeps that database instead, filling it only up to the
 *    target, so before/after comparisons at 10 M do not pay the fill twice (its signing key is
 *    sealed with a fixed key-encryption key, or BENCH_AUDIT_KEK, so that it verifies on every run).
 * 2. bench/fill-audit-log.ts fills the log (real leaves, tree nodes, head) over 730 days.
 * 3. The real API starts as a child process (NODE_ENV=production); a compliance officer signs in
 *    and a checkpoint over the whole log is signed through the API.
 * 4. Each kind of request is sent BENCH_BROWSE_REQUESTS times (default 200) after
 *    BENCH_BROWSE_WARMUP untimed ones (default 20), one at a time over a keep-alive loopback
 *    connection, each with its own x-request-id. The time that counts is the API's own: Fastify's
 *    `responseTime` for that request id in the API's request log (from the request's arrival to
 *    the last byte of the response: guard, session check, queries, serialisation). The loopback
 *    round trip seen by the client is printed beside it. BENCH_BROWSE_KINDS=<regexp> keeps only the
 *    kinds it matches (e.g. "search|proof").
 *
 * Reports p50/p95 per kind and three figures: audit.page.p95-ms (the slowest page kind's p95,
 * target ≤ 20 ms), audit.proof.p95-ms (the slowest proof kind's p95, target ≤ 5 ms) and
 * audit.fill.entries-per-s (writing the rows; the index rebuild and VACUUM ANALYZE that follow are
 * reported beside it). The machine's load
 * average is printed with the results: on a shared machine, read them with it.
 */
import { freePort } from '../tools/runtime/src/ports';
import { decodeBase64, rootFromInclusionProof, verifyConsistency, verifyInclusion } from '@retract/audit-log';
import { createDb, inTenant } from '@retract/db';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { hashPassword } from '../apps/api/src/modules/auth/passwords';
import { provisionTenant } from '../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../apps/api/src/modules/tenants/tenant-initializers';
import { dropDatabase } from '../tools/runtime/src/database';
import { startProcess, type Managed } from '../tools/runtime/src/processes';
import { ROOT, productionApiEnv, stopProcess, waitForHttp } from '../tools/runtime/src/stack';
import { fillAuditLog, type AuditPopulation } from './fill-audit-log';
import { reportFigure } from './report';
import { prepareBenchDatabase } from './bench-database';

const ENTRIES = Number(process.env.BENCH_BROWSE_ENTRIES ?? 10_000_000);
const USERS = Number(process.env.BENCH_BROWSE_USERS ?? 2_000);
const REQUESTS = Number(process.env.BENCH_BROWSE_REQUESTS ?? 200);
const WARMUP = Number(process.env.BENCH_BROWSE_WARMUP ?? Math.min(20, REQUESTS));
const KEPT_DATABASE = process.env.BENCH_BROWSE_DATABASE;
/** A kept database's signing key stays sealed under the same key-encryption key from run to run. */
const AUDIT_KEK = process.env.BENCH_AUDIT_KEK ?? (KEPT_DATABASE ? Buffer.alloc(32, 7).toString('base64') : randomBytes(32).toString('base64'));
/** Only the kinds whose name matches this regular expression (e.g. "search|proof"). */
const KINDS = new RegExp(process.env.BENCH_BROWSE_KINDS ?? '.', 'i');
const SLUG = 'browse';
const PASSWORD = 'bench-browse-password';
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Response {
  status: number;
  body: string;
  /** Loopback round trip seen by this client. */
  ms: number;
  requestId: string;
}

/** Response times the API logged ("request completed" lines), by request id. */
class ServerTimes {
  private readonly times = new Map<string, number>();
  private readonly waiting = new Map<string, (ms: number) => void>();

  onLine = (line: string) => {
    if (!line.includes('"responseTime"')) return;
    const entry = JSON.parse(line) as { reqId?: string; responseTime?: number };
    if (!entry.reqId || entry.responseTime === undefined) return;
    const waiter = this.waiting.get(entry.reqId);
    if (waiter) {
      this.waiting.delete(entry.reqId);
      waiter(entry.responseTime);
    } else this.times.set(entry.reqId, entry.responseTime);
  };

  /** The API writes its log line once the response is out; it can arrive a moment after the body. */
  of(requestId: string): Promise<number> {
    const known = this.times.get(requestId);
    if (known !== undefined) {
      this.times.delete(requestId);
      return Promise.resolve(known);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the API logged no response time for request ${requestId}`)), 5000);
      this.waiting.set(requestId, (ms) => {
        clearTimeout(timer);
        resolve(ms);
      });
    });
  }
}

let requests = 0;

function send(agent: Agent, base: URL, method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const requestId = `browse-${++requests}`;
    const started = performance.now();
    const req = request(
      new URL(path, base),
      {
        method,
        agent,
        headers: {
          'x-request-id': requestId,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started, requestId }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface KindResult {
  kind: string;
  group: 'page' | 'proof';
  /** Server time (the API's responseTime). */
  p50: number;
  p95: number;
  max: number;
  /** Loopback round trip. */
  clientP50: number;
  clientP95: number;
  count: number;
}

/** Seeded choices, so two runs over the same database ask the same questions. */
function chooser(seed: number) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { random, int: (below: number) => Math.floor(random() * below), one: <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] };
}

async function prepareOrganisation(appUrl: string, ownerUrl: string): Promise<{ tenantId: string; complianceEmail: string; population: AuditPopulation }> {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows: existing } = await owner.query<{ id: string | null }>('SELECT tenant_id_for_slug($1) AS id', [SLUG]);
    let tenantId = existing[0]?.id ?? null;
    if (!tenantId) {
      const db = createDb({ connectionString: appUrl, maxConnections: 2 });
      try {
        const passwordHash = await hashPassword(PASSWORD);
        const { tenant } = await provisionTenant(
          db,
          { slug: SLUG, name: 'Browse Bench', locale: 'en', adminEmail: `admin@${SLUG}.test`, adminPassword: PASSWORD },
          TENANT_INITIALIZERS,
        );
        tenantId = tenant.id;
        await inTenant(db, { tenantId }, async (tx) => {
          // Users are written directly (no USER_CREATED entries): the synthetic history is the whole log.
          await tx.$executeRaw`
            INSERT INTO users (tenant_id, email, display_name, password_hash, roles)
            SELECT ${tenantId}::uuid, 'admin' || g || ${`@${SLUG}.test`}, 'Admin ' || g, ${passwordHash}, '{ADMIN}'::user_role[] FROM generate_series(2, 3) g
            UNION ALL
            SELECT ${tenantId}::uuid, 'compliance' || g || ${`@${SLUG}.test`}, 'Compliance ' || g, ${passwordHash}, '{COMPLIANCE}'::user_role[] FROM generate_series(1, 2) g
            UNION ALL
            SELECT ${tenantId}::uuid, 'e' || g || ${`@${SLUG}.test`}, 'Employee ' || g, ${passwordHash}, '{EMPLOYEE}'::user_role[] FROM generate_series(1, ${USERS}) g`;
        });
      } finally {
        await db.$disconnect();
      }
    }
    await owner.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
    const { rows: users } = await owner.query<{ id: string; roles: string[] }>(
      'SELECT id, roles::text[] AS roles FROM users WHERE tenant_id = $1 ORDER BY email',
      [tenantId],
    );
    const withRole = (role: string) => users.filter((u) => u.roles.includes(role)).map((u) => u.id);
    return {
      tenantId,
      complianceEmail: `compliance1@${SLUG}.test`,
      population: { employees: withRole('EMPLOYEE'), admins: withRole('ADMIN'), compliance: withRole('COMPLIANCE') },
    };
  } finally {
    await owner.end();
  }
}

/** Values to filter by, sampled from the filled log (busy and rare ones alike), and its time span. */
async function sampleFilters(ownerUrl: string, tenantId: string) {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
    const sample = async (column: string) =>
      (
        await owner.query<{ v: string }>(
          `SELECT ${column}::text AS v FROM audit_entries TABLESAMPLE SYSTEM (0.5) WHERE tenant_id = $1 AND ${column} IS NOT NULL LIMIT 400`,
          [tenantId],
        )
      ).rows.map((r) => r.v);
    const { rows: span } = await owner.query<{ first: Date; last: Date; size: string }>(
      `SELECT (SELECT occurred_at FROM audit_entries WHERE tenant_id = $1 ORDER BY seq LIMIT 1) AS first,
              (SELECT occurred_at FROM audit_entries WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1) AS last,
              (SELECT size FROM audit_log_heads WHERE tenant_id = $1) AS size`,
      [tenantId],
    );
    return {
      actors: await sample('actor_id'),
      subjects: await sample('subject_user_id'),
      conversations: await sample('conversation_id'),
      messages: await sample('message_id'),
      first: span[0].first.getTime(),
      last: span[0].last.getTime(),
      size: Number(span[0].size),
    };
  } finally {
    await owner.end();
  }
}

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL;
  const name = KEPT_DATABASE ?? `retract_bench_browse_${Date.now()}`;
  const database = await prepareBenchDatabase(name, 54369);
  let api: Managed | undefined;
  const serverTimes = new ServerTimes();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    log(
      `audit browse benchmark: ${ENTRIES.toLocaleString('en')} entries in one tenant, ${cpus().length} CPU cores, database ${name}${KEPT_DATABASE ? ' (kept)' : ''}`,
    );
    const org = await prepareOrganisation(database.appUrl, database.ownerUrl);
    const fill = await fillAuditLog({ ownerUrl: database.ownerUrl, tenantId: org.tenantId, target: ENTRIES, population: org.population, spanDays: 730, log });
    if (fill.added)
      log(
        `fill: ${fill.added.toLocaleString('en')} entries, rows in ${fill.rowSeconds.toFixed(0)} s (${Math.round(fill.added / fill.rowSeconds).toLocaleString('en')} entries/s), ${fill.seconds.toFixed(0)} s with indexes and VACUUM`,
      );
    const filters = await sampleFilters(database.ownerUrl, org.tenantId);

    const port = await freePort();
    // As startApi does, but with the request log (level info) read line by line for the response times.
    api = startProcess('api', process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')], {
      cwd: ROOT,
      env: productionApiEnv(database.appUrl, port, { AUDIT_KEK, LOG_LEVEL: 'info', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') }),
      quiet: true,
      onLine: serverTimes.onLine,
    });
    const child = api.child;
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 90_000, () => child.exitCode === null);
    const base = new URL(`http://127.0.0.1:${port}`);
    const login = await send(agent, base, 'POST', '/api/v1/auth/login', undefined, { tenant: SLUG, email: org.complianceEmail, password: PASSWORD });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.body}`);
    const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
    const signed = await send(agent, base, 'POST', '/api/v1/audit/checkpoints', token);
    if (signed.status !== 201) throw new Error(`checkpoint failed: ${signed.status} ${signed.body}`);
    const treeSize = (JSON.parse(signed.body) as { treeSize: number }).treeSize;
    log(`checkpoint over ${treeSize.toLocaleString('en')} entries signed in ${signed.ms.toFixed(0)} ms`);

    const get = (path: string) => send(agent, base, 'GET', path, token);
    const results: KindResult[] = [];
    /** Times `path(i)` REQUESTS times after WARMUP untimed calls; every answer must be 200. */
    /** Failed requests (status ≠ 200) by kind: counted in the times, reported, and the run fails at the end. */
    const failures: string[] = [];
    const measure = async (kind: string, group: KindResult['group'], path: (i: number) => string, seen?: (body: string) => void) => {
      if (!KINDS.test(kind)) return;
      const server: number[] = [];
      const client: number[] = [];
      let failed = 0;
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const url = path(i);
        const response = await get(url);
        if (response.status === 200) seen?.(response.body);
        else if (failed++ === 0) failures.push(`${kind}: ${url} answered ${response.status} ${response.body.slice(0, 300)}`);
        const serverMs = await serverTimes.of(response.requestId);
        if (i < WARMUP) continue;
        server.push(serverMs);
        client.push(response.ms);
      }
      server.sort((a, b) => a - b);
      client.sort((a, b) => a - b);
      const result = {
        kind,
        group,
        p50: percentile(server, 50),
        p95: percentile(server, 95),
        max: server[server.length - 1],
        clientP50: percentile(client, 50),
        clientP95: percentile(client, 95),
        count: server.length,
      };
      results.push(result);
      const ms = (value: number, width = 7) => value.toFixed(2).padStart(width);
      log(
        `${kind.padEnd(44)} p50 ${ms(result.p50)} ms   p95 ${ms(result.p95)} ms   max ${ms(result.max, 8)} ms   (round trip p50 ${ms(result.clientP50)}, p95 ${ms(result.clientP95)})` +
          (failed ? `   ${failed} FAILED` : ''),
      );
    };

    const pick = chooser(42);
    const size = filters.size;
    const day = 86_400_000;
    const isoDay = (ms: number) => new Date(ms).toISOString();
    const someDay = () => filters.first + pick.int(Math.max(1, Math.floor((filters.last - filters.first) / day))) * day;
    /** Pages through `query` by nextCursor from its first page, starting over when it runs out. */
    const walk = (kind: string, query: string) => {
      let cursor: number | null = null;
      return measure(
        kind,
        'page',
        () => `/api/v1/audit?limit=50${query}${cursor !== null ? `&cursor=${cursor}` : ''}`,
        (body) => (cursor = (JSON.parse(body) as { nextCursor: number | null }).nextCursor),
      );
    };
    const actions = ['MESSAGE_RECALLED', 'RECALL_DENIED', 'AUDIT_CONTENT_VIEWED', 'EXPORT_CREATED', 'POLICY_CHANGED', 'LEGAL_HOLD_PLACED'];

    log(
      `\nserver time (the API's responseTime), ${REQUESTS} requests per kind after ${WARMUP} warm-up; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    await measure('first page (50)', 'page', () => '/api/v1/audit?limit=50');
    await walk('next page by cursor', '');
    await measure('page at a random cursor', 'page', () => `/api/v1/audit?limit=50&cursor=${1 + pick.int(size - 1)}`);
    await measure('action (mixed common and rare)', 'page', () => `/api/v1/audit?limit=50&action=${pick.one(actions)}`);
    await measure('action, random cursor', 'page', () => `/api/v1/audit?limit=50&action=${pick.one(actions)}&cursor=${1 + pick.int(size - 1)}`);
    await walk('action RECALL_DENIED, next page by cursor', '&action=RECALL_DENIED');
    await measure('actor', 'page', () => `/api/v1/audit?limit=50&actorId=${pick.one(filters.actors)}`);
    await measure('subject', 'page', () => `/api/v1/audit?limit=50&subjectUserId=${pick.one(filters.subjects)}`);
    await measure('conversation', 'page', () => `/api/v1/audit?limit=50&conversationId=${pick.one(filters.conversations)}`);
    await measure('message', 'page', () => `/api/v1/audit?limit=50&messageId=${pick.one(filters.messages)}`);
    await measure('last 7 days (from)', 'page', () => `/api/v1/audit?limit=50&from=${encodeURIComponent(isoDay(filters.last - 7 * day))}`);
    await measure('one day anywhere (from, to)', 'page', () => {
      const from = someDay();
      return `/api/v1/audit?limit=50&from=${encodeURIComponent(isoDay(from))}&to=${encodeURIComponent(isoDay(from + day - 1))}`;
    });
    await measure('before a random day (to)', 'page', () => `/api/v1/audit?limit=50&to=${encodeURIComponent(isoDay(someDay()))}`);
    await measure('action + one week anywhere', 'page', () => {
      const from = someDay();
      return `/api/v1/audit?limit=50&action=${pick.one(actions)}&from=${encodeURIComponent(isoDay(from))}&to=${encodeURIComponent(isoDay(from + 7 * day))}`;
    });
    await measure('actor + action', 'page', () => `/api/v1/audit?limit=50&actorId=${pick.one(filters.actors)}&action=${pick.one(actions)}`);
    await measure('search: common term (rate_limited)', 'page', () => '/api/v1/audit?limit=50&q=rate_limited');
    await measure('search: phrase (wrong customer)', 'page', () => '/api/v1/audit?limit=50&q=wrong%20customer');
    await measure('search: absent term', 'page', (i) => `/api/v1/audit?limit=50&q=absent-term-${i}`);

    const root = decodeBase64((JSON.parse(signed.body) as { rootHash: string }).rootHash);
    let checkedProofs = 0;
    await measure(
      'inclusion proof, latest checkpoint',
      'proof',
      () => `/api/v1/audit/proofs/inclusion?seq=${pick.int(treeSize)}`,
      (body) => {
        const answer = JSON.parse(body) as { seq: number; treeSize: number; leafHash: string; proof: string[] };
        const proof = answer.proof.map(decodeBase64);
        if (!verifyInclusion({ leafHash: decodeBase64(answer.leafHash), leafIndex: answer.seq, treeSize: answer.treeSize, proof, rootHash: root }))
          throw new Error(`inclusion proof of ${answer.seq} does not verify`);
        checkedProofs++;
      },
    );
    await measure('inclusion proof, random tree size', 'proof', () => {
      const sizeAt = 1 + pick.int(treeSize);
      return `/api/v1/audit/proofs/inclusion?seq=${pick.int(sizeAt)}&treeSize=${sizeAt}`;
    });
    await measure('consistency proof, random sizes', 'proof', () => {
      const to = 1 + pick.int(treeSize);
      return `/api/v1/audit/proofs/consistency?from=${1 + pick.int(to)}&to=${to}`;
    });

    // Consistency proofs from earlier sizes to the checkpoint, checked against roots derived from inclusion proofs.
    for (let i = 0; i < 20; i++) {
      const oldSize = 1 + pick.int(treeSize);
      const inclusion = JSON.parse((await get(`/api/v1/audit/proofs/inclusion?seq=${oldSize - 1}&treeSize=${oldSize}`)).body) as {
        leafHash: string;
        proof: string[];
      };
      const oldRoot = rootFromInclusionProof(decodeBase64(inclusion.leafHash), oldSize - 1, oldSize, inclusion.proof.map(decodeBase64));
      if (!oldRoot) throw new Error(`the inclusion proof of ${oldSize - 1} in ${oldSize} is malformed`);
      const consistency = JSON.parse((await get(`/api/v1/audit/proofs/consistency?from=${oldSize}&to=${treeSize}`)).body) as { proof: string[] };
      if (!verifyConsistency({ oldSize, newSize: treeSize, oldRoot, newRoot: root, proof: consistency.proof.map(decodeBase64) }))
        throw new Error(`consistency proof ${oldSize} → ${treeSize} does not verify`);
      checkedProofs++;
    }
    const verifyFrom = Math.max(0, treeSize - 10_000);
    const verified = await send(agent, base, 'POST', '/api/v1/audit/verify', token, { fromSeq: verifyFrom, toSeq: treeSize - 1 });
    const verdict = JSON.parse(verified.body) as { ok: boolean; checked: number; problems: unknown[] };
    log(
      `\n${checkedProofs} proofs verified against the checkpoint; POST /audit/verify of seq ${verifyFrom}..${treeSize - 1}: ok=${verdict.ok}, ${verdict.checked} checked in ${verified.ms.toFixed(0)} ms`,
    );
    if (!verdict.ok) throw new Error(`the filled log does not verify: ${JSON.stringify(verdict.problems.slice(0, 3))}`);

    const slowest = (group: KindResult['group']) =>
      results.filter((r) => r.group === group).reduce<KindResult | undefined>((a, b) => (!a || b.p95 > a.p95 ? b : a), undefined);
    const kinds = (group: KindResult['group']) => results.filter((r) => r.group === group).length;
    const page = slowest('page');
    const proof = slowest('proof');
    log('');
    if (page) log(`slowest page kind: ${page.kind} (p95 ${page.p95.toFixed(2)} ms)`);
    if (proof) log(`slowest proof kind: ${proof.kind} (p95 ${proof.p95.toFixed(2)} ms)`);
    log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    if (page)
      reportFigure({
        figure: 'audit.page.p95-ms',
        label: `GET /api/v1/audit p95 (API response time), slowest of ${kinds('page')} kinds (${size.toLocaleString('en')} entries)`,
        value: round(page.p95),
        unit: 'ms',
        target: { op: '<=', value: 20 },
        lowerIsBetter: true,
      });
    if (proof)
      reportFigure({
        figure: 'audit.proof.p95-ms',
        label: `inclusion/consistency proof p95 (API response time), slowest of ${kinds('proof')} kinds (${size.toLocaleString('en')} entries)`,
        value: round(proof.p95),
        unit: 'ms',
        target: { op: '<=', value: 5 },
        lowerIsBetter: true,
      });
    if (fill.added)
      reportFigure({
        figure: 'audit.fill.entries-per-s',
        label: `bulk fill of ${fill.added.toLocaleString('en')} entries: leaves, tree nodes and head by COPY (index rebuild and VACUUM ANALYZE took ${Math.round(fill.seconds - fill.rowSeconds)} s more)`,
        value: Math.round(fill.added / fill.rowSeconds),
        unit: 'entries/s',
      });
    if (failures.length) throw new Error(`requests failed:\n${failures.join('\n')}`);
  } finally {
    agent.destroy();
    if (api) await stopProcess(api);
    if (!KEPT_DATABASE && server) await dropDatabase(database.ownerUrl).catch(() => undefined);
    await database.embedded?.stop();
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
