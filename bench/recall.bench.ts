/**
 * Recall throughput and latency over HTTP, next to pgbench running the same SQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node -r @swc-node/register bench/recall.bench.ts          (BENCH_SECONDS=4 per phase, BENCH_CLIENTS=8)
 *
 * One run: a throwaway database, the real API as a child process, then four timed phases —
 *   1. HTTP, 1 tenant:   BENCH_CLIENTS employees of one organisation, each recalling its own fresh
 *                        messages as fast as it can (POST /api/v1/messages/:id/recall, keep-alive);
 *                        every recall appends to that tenant's audit log, so they serialize on its head.
 *   2. HTTP, 8 tenants:  the same number of clients spread over 8 organisations.
 *   3./4. pgbench:       the recall transaction's SQL (the same statements on the same tables, as
 *                        the same database role under RLS), one transaction per recall, same client
 *                        counts — without HTTP, auth, JSON, Prisma, canonical JSON, hashing and AES.
 * Prints recalls/s with p50/p99 for each, and HTTP / pgbench as a ratio.
 */
import { createDb, inTenant, type Db } from '@retract/db';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'node:http';
import { hashPassword } from '../apps/api/src/modules/auth/passwords';
import { provisionTenant } from '../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../apps/api/src/modules/tenants/tenant-initializers';
import { dropDatabase, withDatabase } from '../tools/runtime/src/database';
import { prepareDatabase, startApi, stopProcess, waitForHttp } from '../tools/runtime/src/stack';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
/** Messages prepared per client and phase: more than a client can recall in SECONDS. */
const POOL = Number(process.env.BENCH_POOL ?? 1000);
const PASSWORD = 'bench-password-1234';

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

interface PhaseResult {
  count: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
}

const line = (label: string, r: PhaseResult) =>
  `${label.padEnd(28)} ${String(r.count).padStart(6)} recalls in ${r.seconds.toFixed(2)} s = ${(r.count / r.seconds).toFixed(0).padStart(5)} recalls/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `   (${r.errors} errors)` : ''}`;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Client {
  tenantId: string;
  tenantNo: number;
  userId: string;
  email: string;
  slug: string;
  conversationId: string;
  token?: string;
}

/** Organisations with one employee per client, each in a DIRECT conversation with a colleague. */
async function provision(db: Db, tenants: number, clientsPerTenant: number[], passwordHash: string, firstNo: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let t = 0; t < tenants; t++) {
    const slug = `bench-${t}-${randomBytes(3).toString('hex')}`;
    const { tenant } = await provisionTenant(db, { slug, name: `Bench ${t}`, locale: 'en', adminEmail: `admin@${slug}.test`, adminPassword: PASSWORD }, TENANT_INITIALIZERS);
    await inTenant(db, { tenantId: tenant.id }, async (tx) => {
      const peer = await tx.user.create({ data: { tenantId: tenant.id, email: `peer@${slug}.test`, displayName: 'Peer', roles: ['EMPLOYEE'], passwordHash } });
      for (let c = 0; c < clientsPerTenant[t]; c++) {
        const user = await tx.user.create({ data: { tenantId: tenant.id, email: `e${c}@${slug}.test`, displayName: `Employee ${c}`, roles: ['EMPLOYEE'], passwordHash } });
        const conversation = await tx.conversation.create({ data: { tenantId: tenant.id, kind: 'DIRECT', createdBy: user.id } });
        await tx.conversationMember.createMany({ data: [user.id, peer.id].map((userId) => ({ tenantId: tenant.id, conversationId: conversation.id, userId })) });
        clients.push({ tenantId: tenant.id, tenantNo: firstNo + t, userId: user.id, email: user.email, slug, conversationId: conversation.id });
      }
    });
  }
  return clients;
}

/** Fresh messages (sent "now", so inside the recall window), written directly: sending is not what is measured. */
async function prepareMessages(db: Db, clients: Client[], perClient: number): Promise<Map<Client, string[]>> {
  const ids = new Map<Client, string[]>();
  for (const client of clients) {
    const rows = await inTenant(db, { tenantId: client.tenantId }, (tx) =>
      tx.$queryRaw<{ id: string }[]>`
        INSERT INTO messages (tenant_id, conversation_id, sender_id, type, body, sent_at)
        SELECT ${client.tenantId}::uuid, ${client.conversationId}::uuid, ${client.userId}::uuid, 'TEXT', 'benchmark message ' || g, now()
          FROM generate_series(1, ${perClient}) g
        RETURNING id`,
    );
    ids.set(client, rows.map((r) => r.id));
  }
  return ids;
}

function post(agent: Agent, base: URL, path: string, token: string | undefined, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      new URL(path, base),
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function httpPhase(agent: Agent, base: URL, clients: Client[], messages: Map<Client, string[]>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      const queue = [...messages.get(client)!];
      while (performance.now() < deadline) {
        const id = queue.shift();
        if (!id) throw new Error('message pool exhausted: raise BENCH_POOL');
        const t0 = performance.now();
        const response = await post(agent, base, `/api/v1/messages/${id}/recall`, client.token, {});
        latencies.push(performance.now() - t0);
        if (response.status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

/**
 * The recall transaction's statements, in the API's order: tenant setting, message row lock and
 * read, conversation/members/sender, policy, per-actor advisory lock and recent-recall count,
 * audit head lock, data key, audit entry + subtree node + head in one statement, the content
 * removal, the event head, the event and the webhook outbox.
 */
const PGBENCH_SCRIPT = (tenantExpr: string) => `
\\set tno ${tenantExpr}
\\set n random(1, ${POOL})
BEGIN;
SELECT set_config('app.tenant_id', (SELECT tenant_id::text FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n), true);
SELECT id FROM messages WHERE tenant_id = app_current_tenant() AND id = (SELECT id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n) FOR UPDATE;
SELECT * FROM messages WHERE tenant_id = app_current_tenant() AND id = (SELECT id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n);
SELECT id, kind FROM conversations WHERE tenant_id = app_current_tenant() AND id = (SELECT conversation_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n);
SELECT conversation_id, user_id FROM conversation_members WHERE tenant_id = app_current_tenant() AND conversation_id = (SELECT conversation_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n);
SELECT id, display_name FROM users WHERE tenant_id = app_current_tenant() AND id = (SELECT sender_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n);
SELECT * FROM policy_versions WHERE tenant_id = app_current_tenant() ORDER BY version DESC LIMIT 1;
SELECT pg_advisory_xact_lock(hashtextextended('recall:' || app_current_tenant() || ':' || (SELECT sender_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n), 0));
SELECT count(*), min(recalled_at) FROM messages WHERE tenant_id = app_current_tenant() AND recalled_by = (SELECT sender_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n) AND recalled_at > now() - interval '1 hour' AND recalled_at <= now();
SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = app_current_tenant() FOR UPDATE;
SELECT * FROM audit_data_keys WHERE tenant_id = app_current_tenant() AND subject_user_id = (SELECT sender_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n) AND period = to_char(now(), 'YYYY-MM') AND wrapped_key IS NOT NULL LIMIT 1;
WITH head AS (SELECT size FROM audit_log_heads WHERE tenant_id = app_current_tenant()),
     m AS (SELECT * FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n),
     entry AS (
       INSERT INTO audit_entries (tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, subject_user_id, conversation_id, message_id, policy_version, decided_by, forced, search_text)
       SELECT app_current_tenant(), head.size, convert_to(repeat('x', 1200), 'UTF8'), sha256(convert_to(head.size::text, 'UTF8')), now(), 'MESSAGE_RECALLED',
              m.sender_id, m.sender_id, m.conversation_id, m.id, 1, 'TENANT_DEFAULT', false, 'message_recalled tenant_default'
         FROM head, m),
     nodes AS (
       INSERT INTO audit_tree_nodes (tenant_id, level, index, hash)
       SELECT app_current_tenant(), 1, head.size, sha256(convert_to(head.size::text, 'UTF8')) FROM head)
UPDATE audit_log_heads SET size = size + 1, frontier = ARRAY[sha256('\\x00'::bytea)], updated_at = now() WHERE tenant_id = app_current_tenant();
UPDATE messages SET body = NULL, attachment = NULL, recalled_at = now(), recalled_by = sender_id, recall_audit_seq = (SELECT size - 1 FROM audit_log_heads WHERE tenant_id = app_current_tenant()), reedit_until = now() + interval '5 minutes'
 WHERE tenant_id = app_current_tenant() AND id = (SELECT id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n);
INSERT INTO event_log_heads (tenant_id, last_id) VALUES (app_current_tenant(), 1) ON CONFLICT (tenant_id) DO UPDATE SET last_id = event_log_heads.last_id + 1;
INSERT INTO events (tenant_id, id, type, conversation_id, message_id, payload, created_at)
SELECT app_current_tenant(), (SELECT last_id FROM event_log_heads WHERE tenant_id = app_current_tenant()), 'message.recalled', m.conversation_id, m.id,
       jsonb_build_object('messageId', m.id, 'conversationId', m.conversation_id, 'senderId', m.sender_id, 'senderName', 'Employee', 'recalledAt', now(), 'recallKind', 'SENDER'), now()
  FROM bench_messages m WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n;
INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, next_attempt_at)
SELECT tenant_id, id, (SELECT last_id FROM event_log_heads WHERE tenant_id = app_current_tenant()), 'message.recalled', now()
  FROM webhooks WHERE tenant_id = app_current_tenant() AND deleted_at IS NULL AND 'message.recalled' = ANY (event_types);
COMMIT;
`;

function pgbenchPhase(appUrl: string, tenantExpr: string, logDir: string, label: string): PhaseResult {
  const script = join(logDir, `${label}.sql`);
  writeFileSync(script, PGBENCH_SCRIPT(tenantExpr));
  const prefix = join(logDir, label);
  const result = spawnSync(PGBENCH, ['-n', '-M', 'prepared', '-f', script, '-c', String(CLIENTS), '-j', String(Math.min(CLIENTS, 2)), '-T', String(SECONDS), '-l', `--log-prefix=${prefix}`, appUrl], {
    encoding: 'utf8',
    cwd: logDir,
  });
  if (result.status !== 0) throw new Error(`pgbench failed: ${result.stderr || result.stdout}`);
  const latencies: number[] = [];
  let first = Infinity;
  let last = 0;
  for (const file of readdirSync(logDir).filter((f) => f.startsWith(`${label}.`) && !f.endsWith('.sql'))) {
    for (const row of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 6) continue;
      const latencyUs = Number(fields[2]);
      const at = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
      latencies.push(latencyUs / 1000);
      first = Math.min(first, at - latencyUs / 1000);
      last = Math.max(last, at);
    }
  }
  const failed = /number of failed transactions: (\d+)/.exec(result.stdout)?.[1];
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, seconds: (last - first) / 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: Number(failed ?? 0) };
}

/** pgbench picks messages by (tenant number, client, n); it recalls its own pool, separate from the HTTP phases'. */
async function preparePgbenchPool(db: Db, ownerUrl: string, clients: Client[]) {
  const owner = createDb({ connectionString: ownerUrl, maxConnections: 1 });
  await owner.$executeRawUnsafe('CREATE TABLE bench_messages (tno int, client int, n int, tenant_id uuid, id uuid, conversation_id uuid, sender_id uuid, PRIMARY KEY (tno, client, n))');
  await owner.$executeRawUnsafe('GRANT SELECT ON bench_messages TO retract_app');
  const byTenant = new Map<number, Client[]>();
  for (const c of clients) byTenant.set(c.tenantNo, [...(byTenant.get(c.tenantNo) ?? []), c]);
  const pool = await prepareMessages(db, clients, POOL);
  for (const [tno, members] of byTenant) {
    for (let slot = 0; slot < CLIENTS; slot++) {
      // pgbench client k uses slot k % CLIENTS of its tenant; slots map onto this tenant's employees round-robin.
      const client = members[slot % members.length];
      const ids = pool.get(client)!;
      const rows = ids.map((id, i) => `(${tno}, ${slot}, ${i + 1}, '${client.tenantId}', '${id}', '${client.conversationId}', '${client.userId}')`);
      for (let i = 0; i < rows.length; i += 1000) await owner.$executeRawUnsafe(`INSERT INTO bench_messages VALUES ${rows.slice(i, i + 1000).join(',')} ON CONFLICT DO NOTHING`);
    }
  }
  await owner.$disconnect();
}

async function main(): Promise<void> {
  const name = `retract_bench_recall_${Date.now()}`;
  const server = process.env.DATABASE_URL;
  const database = await prepareDatabase({
    databaseUrl: server ? withDatabase(server, name) : undefined,
    database: name,
    secrets: { APP_DB_PASSWORD: randomBytes(12).toString('hex'), EMBEDDED_PG_PASSWORD: randomBytes(12).toString('hex') },
    embeddedPort: 54359,
    log: () => undefined,
  });
  const logDir = mkdtempSync(join(tmpdir(), 'retract-recall-bench-'));
  const port = await freePort();
  const api = startApi(
    {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: undefined,
      APP_DATABASE_URL: database.appUrl,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      AUDIT_KEK: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: String(Math.max(10, CLIENTS + 2)),
    },
    true,
  );
  const db = createDb({ connectionString: database.appUrl, maxConnections: 4 });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const passwordHash = await hashPassword(PASSWORD);
    // pgbench numbers the organisations: 1 is the one-tenant phase's, 2..9 the eight.
    const oneTenant = await provision(db, 1, [CLIENTS], passwordHash, 1);
    const perTenant = Array.from({ length: 8 }, (_, i) => Math.floor(CLIENTS / 8) + (i < CLIENTS % 8 ? 1 : 0)).map((n) => Math.max(1, n));
    const eightTenants = await provision(db, 8, perTenant, passwordHash, 2);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 90_000, () => api.child.exitCode === null);
    const base = new URL(`http://127.0.0.1:${port}`);
    for (const client of [...oneTenant, ...eightTenants]) {
      const login = await post(agent, base, '/api/v1/auth/login', undefined, { tenant: client.slug, email: client.email, password: PASSWORD });
      if (login.status !== 200) throw new Error(`login failed: ${login.body}`);
      client.token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
    }
    // Warm-up: a few recalls per client (JIT, pools, prepared plans) outside the measurement.
    const warm = await prepareMessages(db, [...oneTenant, ...eightTenants], 5);
    for (const [client, ids] of warm) for (const id of ids) await post(agent, base, `/api/v1/messages/${id}/recall`, client.token, {});

    console.log(`recall benchmark: ${CLIENTS} concurrent clients, ${SECONDS} s per phase, ${cpus().length} CPU cores, PostgreSQL at ${new URL(database.appUrl).host}`);
    const httpOne = await httpPhase(agent, base, oneTenant, await prepareMessages(db, oneTenant, POOL));
    console.log(line('HTTP     1 tenant', httpOne));
    const httpEight = await httpPhase(agent, base, eightTenants, await prepareMessages(db, eightTenants, Math.ceil((POOL * CLIENTS) / eightTenants.length)));
    console.log(line('HTTP     8 tenants', httpEight));

    await preparePgbenchPool(db, database.ownerUrl, [...oneTenant, ...eightTenants]);
    const pgOne = pgbenchPhase(database.appUrl, '1', logDir, 'one');
    console.log(line('pgbench  1 tenant', pgOne));
    const pgEight = pgbenchPhase(database.appUrl, `(:client_id % 8) + 2`, logDir, 'eight');
    console.log(line('pgbench  8 tenants', pgEight));
    const rate = (r: PhaseResult) => r.count / r.seconds;
    console.log(
      `ratio HTTP / pgbench:  1 tenant ${(rate(httpOne) / rate(pgOne)).toFixed(2)}   8 tenants ${(rate(httpEight) / rate(pgEight)).toFixed(2)}` +
        `   (8 tenants / 1 tenant: HTTP ${(rate(httpEight) / rate(httpOne)).toFixed(2)}, pgbench ${(rate(pgEight) / rate(pgOne)).toFixed(2)})`,
    );
  } finally {
    agent.destroy();
    await db.$disconnect();
    await stopProcess(api);
    rmSync(logDir, { recursive: true, force: true });
    if (server) await dropDatabase(database.ownerUrl).catch(() => undefined);
    await database.embedded?.stop();
  }
}


main().catch((error) => {
  console.error(error);
  process.exit(1);
});
