/**
 * Recall throughput and latency over HTTP, next to pgbench running the same SQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node -r @swc-node/register bench/recall.bench.ts          (BENCH_SECONDS=4 per phase, BENCH_CLIENTS=16)
 *
 * One run: a throwaway database, the real API as a child process, then five timed phases —
 *   1. HTTP, 1 tenant:   BENCH_CLIENTS employees of one organisation, each recalling its own fresh
 *                        messages as fast as it can (POST /api/v1/messages/:id/recall, keep-alive).
 *   2. HTTP, 8 tenants:  the same number of clients spread over 8 organisations.
 *   3. HTTP, paced:      8 tenants at half the rate phase 2 reached (open loop): the p99 users see.
 *   4./5. pgbench:       the statements a real recall ran (recorded in this run, bench/recall-sql.ts),
 *                        as the same database role under RLS, one transaction per recall with the
 *                        audit entry appended inside it — without HTTP, auth, JSON, hashing and AES.
 * Prints recalls/s with p50/p99 for each, HTTP / pgbench as a ratio, and BENCH figures (bench/report.ts).
 */
import { freePort } from '../tools/runtime/src/ports';
import { createDb, inTenant, type Db } from '@retract/db';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { LocalKeyring } from '../apps/api/src/modules/audit/key-encryption';
import { hashPassword } from '../apps/api/src/modules/auth/passwords';
import { MessageSeal } from '../apps/api/src/modules/messages/message-seal';
import { provisionTenant } from '../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../apps/api/src/modules/tenants/tenant-initializers';
import { BENCH_APPEND_DIRECT_SQL, pgbenchScript, recordRecallStatements, sealedUnderKey } from './recall-sql';
import { closedLoop, describeLoad, openLoop, percentile, post, rateOf, type LoadResult, type Operation } from './load';
import { reportFigure } from './report';
import { dropDatabase } from '../tools/runtime/src/database';
import { productionApiEnv, startApi, stopProcess, waitForHttp } from '../tools/runtime/src/stack';
import { prepareBenchDatabase } from './bench-database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const AUDIT_KEK = randomBytes(32).toString('base64');
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
/** Messages prepared per client and phase: more than a client can recall in SECONDS. */
const POOL = Number(process.env.BENCH_POOL ?? 1000);
const PASSWORD = 'bench-password-1234';

interface Client {
  tenantId: string;
  tenantNo: number;
  userId: string;
  email: string;
  slug: string;
  conversationId: string;
  token?: string;
  sessionId?: string;
}

/** Organisations with one employee per client, each in a DIRECT conversation with a colleague. */
async function provision(db: Db, tenants: number, clientsPerTenant: number[], passwordHash: string, firstNo: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let t = 0; t < tenants; t++) {
    const slug = `bench-${t}-${randomBytes(3).toString('hex')}`;
    const { tenant } = await provisionTenant(
      db,
      { slug, name: `Bench ${t}`, locale: 'en', adminEmail: `admin@${slug}.test`, adminPassword: PASSWORD },
      TENANT_INITIALIZERS,
    );
    await inTenant(db, { tenantId: tenant.id }, async (tx) => {
      const peer = await tx.user.create({ data: { tenantId: tenant.id, email: `peer@${slug}.test`, displayName: 'Peer', roles: ['EMPLOYEE'], passwordHash } });
      for (let c = 0; c < clientsPerTenant[t]; c++) {
        const user = await tx.user.create({
          data: { tenantId: tenant.id, email: `e${c}@${slug}.test`, displayName: `Employee ${c}`, roles: ['EMPLOYEE'], passwordHash },
        });
        const conversation = await tx.conversation.create({ data: { tenantId: tenant.id, kind: 'DIRECT', createdBy: user.id } });
        await tx.conversationMember.createMany({
          data: [user.id, peer.id].map((userId) => ({ tenantId: tenant.id, conversationId: conversation.id, userId })),
        });
        clients.push({ tenantId: tenant.id, tenantNo: firstNo + t, userId: user.id, email: user.email, slug, conversationId: conversation.id });
      }
    });
  }
  return clients;
}

/**
 * Fresh messages (sent "now", so inside the recall window), written directly — sending is not what
 * is measured — but sealed as the API seals them, so a recall opens and destroys a real message key.
 */
async function prepareMessages(db: Db, clients: Client[], perClient: number): Promise<Map<Client, string[]>> {
  const ids = new Map<Client, string[]>();
  const seal = new MessageSeal(LocalKeyring.single('local-1', AUDIT_KEK));
  for (const client of clients) {
    const fresh = Array.from({ length: perClient }, (_, i) => {
      const id = randomUUID();
      return { id, ...seal.seal(client.tenantId, id, { body: `benchmark message ${i + 1}`, extras: null }) };
    });
    const rows = await inTenant(
      db,
      { tenantId: client.tenantId },
      (tx) =>
        tx.$queryRaw<{ id: string }[]>`
        INSERT INTO messages (tenant_id, id, conversation_id, sender_id, type, sent_at, content_sealed, content_key, content_kek_id)
        SELECT ${client.tenantId}::uuid, m.id, ${client.conversationId}::uuid, ${client.userId}::uuid, 'TEXT', now(), m.sealed, m.wrapped, 'local-1'
          FROM unnest(${fresh.map((m) => m.id)}::uuid[], ${fresh.map((m) => m.sealed)}::bytea[], ${fresh.map((m) => Buffer.from(m.wrappedKey))}::bytea[])
               AS m (id, sealed, wrapped)
        RETURNING id`,
    );
    ids.set(
      client,
      rows.map((r) => r.id),
    );
  }
  return ids;
}

/** Each client recalls its own messages in turn (a message can be recalled once). */
function recallNext(agent: Agent, base: URL, messages: Map<Client, string[]>): Operation<Client> {
  const queues = new Map([...messages].map(([client, ids]) => [client, [...ids]]));
  return async (client) => {
    const id = queues.get(client)!.shift();
    if (!id) throw new Error('message pool exhausted: raise BENCH_POOL');
    return (await post(agent, base, `/api/v1/messages/${id}/recall`, client.token, {})).status === 200;
  };
}

const httpPhase = (agent: Agent, base: URL, clients: Client[], messages: Map<Client, string[]>) =>
  closedLoop(clients, SECONDS, recallNext(agent, base, messages));

/** pgbench client k recalls the messages of slot k % CLIENTS of its organisation (`tno`), one per transaction. */
const pickMessage = (tenantExpr: string) =>
  [
    `\\set tno ${tenantExpr}`,
    `\\set n random(1, ${POOL})`,
    `SELECT tenant_id, id AS message_id, conversation_id, sender_id, session_id, data_key_id FROM bench_messages WHERE tno = :tno AND client = :client_id % ${CLIENTS} AND n = :n \\gset`,
  ].join('\n');

function pgbenchPhase(appUrl: string, baseline: (pick: string) => string, tenantExpr: string, logDir: string, label: string): LoadResult {
  const script = join(logDir, `${label}.sql`);
  writeFileSync(script, baseline(pickMessage(tenantExpr)));
  const prefix = join(logDir, label);
  const result = spawnSync(
    PGBENCH,
    [
      '-n',
      '-M',
      'prepared',
      '-f',
      script,
      '-c',
      String(CLIENTS),
      '-j',
      String(Math.min(CLIENTS, 2)),
      '-T',
      String(SECONDS),
      '-l',
      `--log-prefix=${prefix}`,
      appUrl,
    ],
    {
      encoding: 'utf8',
      cwd: logDir,
    },
  );
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
  return {
    count: latencies.length,
    seconds: (last - first) / 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: Number(failed ?? 0),
  };
}

/** pgbench picks messages by (tenant number, client, n); it recalls its own pool, separate from the HTTP phases'. */
async function preparePgbenchPool(db: Db, ownerUrl: string, clients: Client[]) {
  const owner = createDb({ connectionString: ownerUrl, maxConnections: 1 });
  await owner.$executeRawUnsafe(
    'CREATE TABLE bench_messages (tno int, client int, n int, tenant_id uuid, id uuid, conversation_id uuid, sender_id uuid, session_id uuid, data_key_id uuid, PRIMARY KEY (tno, client, n))',
  );
  await owner.$executeRawUnsafe('GRANT SELECT ON bench_messages TO retract_app');
  await owner.$executeRawUnsafe(BENCH_APPEND_DIRECT_SQL);
  const byTenant = new Map<number, Client[]>();
  for (const c of clients) byTenant.set(c.tenantNo, [...(byTenant.get(c.tenantNo) ?? []), c]);
  const pool = await prepareMessages(db, clients, POOL);
  for (const [tno, members] of byTenant) {
    for (let slot = 0; slot < CLIENTS; slot++) {
      // pgbench client k uses slot k % CLIENTS of its tenant; slots map onto this tenant's employees round-robin.
      const client = members[slot % members.length];
      const ids = pool.get(client)!;
      const rows = ids.map(
        (id, i) => `(${tno}, ${slot}, ${i + 1}, '${client.tenantId}', '${id}', '${client.conversationId}', '${client.userId}', '${client.sessionId}', NULL)`,
      );
      for (let i = 0; i < rows.length; i += 1000)
        await owner.$executeRawUnsafe(`INSERT INTO bench_messages VALUES ${rows.slice(i, i + 1000).join(',')} ON CONFLICT DO NOTHING`);
    }
  }
  // Each sender's own live content key (created by the warm-up recalls), as the product would seal under.
  await owner.$executeRawUnsafe(`UPDATE bench_messages b SET data_key_id = k.id FROM audit_data_keys k
    WHERE k.tenant_id = b.tenant_id AND k.subject_user_id = b.sender_id AND k.wrapped_key IS NOT NULL`);
  await owner.$disconnect();
}

/** Open loop at `rate` (bench/load.ts): the latency a user sees when the service runs at that rate, not at saturation. */
const pacedPhase = (agent: Agent, base: URL, clients: Client[], messages: Map<Client, string[]>, rate: number) =>
  openLoop(clients, rate, SECONDS, recallNext(agent, base, messages));

/** The baseline script, from the statements of a real recall by this client (bench/recall-sql.ts). */
async function recordedBaseline(db: Db, appUrl: string, client: Client): Promise<(pick: string) => string> {
  const [first, second] = (await prepareMessages(db, [client], 2)).get(client)!;
  const statements = await recordRecallStatements(db, appUrl, AUDIT_KEK, {
    tenantId: client.tenantId,
    userId: client.userId,
    displayName: 'Employee 0',
    sessionId: client.sessionId!,
    messageIds: [first, second],
  });
  const variables = new Map([
    [client.tenantId, 'tenant_id'],
    [second, 'message_id'],
    [client.conversationId, 'conversation_id'],
    [client.userId, 'sender_id'],
    [client.sessionId!, 'session_id'],
    [sealedUnderKey(statements) ?? '', 'data_key_id'],
  ]);
  console.log(`baseline: ${statements.length} statements recorded from a real recall (bench/results/recall-baseline.pgbench.sql)`);
  return (pick) => pgbenchScript(statements, variables, pick);
}

async function main(): Promise<void> {
  const name = `retract_bench_recall_${Date.now()}`;
  const server = process.env.DATABASE_URL;
  const database = await prepareBenchDatabase(name, 54359);
  const logDir = mkdtempSync(join(tmpdir(), 'retract-recall-bench-'));
  const port = await freePort();
  const api = startApi(
    productionApiEnv(database.appUrl, port, { AUDIT_KEK, DB_POOL_SIZE: String(Math.max(10, CLIENTS + 2)) }),
    true,
    // BENCH_CPU_PROF=<dir>: the API writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
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
      client.sessionId = (JSON.parse(Buffer.from(client.token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;
    }
    // Warm-up: a few recalls per client (JIT, pools, prepared plans) outside the measurement.
    const warm = await prepareMessages(db, [...oneTenant, ...eightTenants], 5);
    for (const [client, ids] of warm) for (const id of ids) await post(agent, base, `/api/v1/messages/${id}/recall`, client.token, {});

    console.log(
      `recall benchmark: ${CLIENTS} concurrent clients, ${SECONDS} s per phase, ${cpus().length} CPU cores, PostgreSQL at ${new URL(database.appUrl).host}`,
    );
    const httpOne = await httpPhase(agent, base, oneTenant, await prepareMessages(db, oneTenant, POOL));
    console.log(describeLoad('HTTP     1 tenant', httpOne));
    const httpEight = await httpPhase(agent, base, eightTenants, await prepareMessages(db, eightTenants, Math.ceil((POOL * CLIENTS) / eightTenants.length)));
    console.log(describeLoad('HTTP     8 tenants', httpEight));

    const halfRate = httpEight.count / httpEight.seconds / 2;
    const paced = await pacedPhase(
      agent,
      base,
      eightTenants,
      await prepareMessages(db, eightTenants, Math.ceil((halfRate * SECONDS * 1.2) / eightTenants.length) + 5),
      halfRate,
    );
    console.log(describeLoad(`HTTP     8 tenants @ ${halfRate.toFixed(0)}/s`, paced));

    // Sending, under the same load: what sealing each message at rest costs the send path.
    const sends = await closedLoop(eightTenants, SECONDS, async (client) => {
      const sent = await post(agent, base, `/api/v1/conversations/${client.conversationId}/messages`, client.token, {
        type: 'TEXT',
        body: 'benchmark message',
      });
      return sent.status === 201;
    });
    console.log(describeLoad('HTTP     send, 8 tenants', sends));

    const baseline = await recordedBaseline(db, database.appUrl, oneTenant[0]);
    writeFileSync(join(process.cwd(), 'bench', 'results', 'recall-baseline.pgbench.sql'), baseline(pickMessage('1')));
    await preparePgbenchPool(db, database.ownerUrl, [...oneTenant, ...eightTenants]);
    const pgOne = pgbenchPhase(database.appUrl, baseline, '1', logDir, 'one');
    console.log(describeLoad('pgbench  1 tenant', pgOne));
    const pgEight = pgbenchPhase(database.appUrl, baseline, `(:client_id % 8) + 2`, logDir, 'eight');
    console.log(describeLoad('pgbench  8 tenants', pgEight));
    const errors = httpOne.errors + httpEight.errors + paced.errors;
    if (errors > 0) throw new Error(`${errors} recalls were not answered 200: the figures are not valid`);
    reportFigure({
      figure: 'recall.http.8-tenants',
      label: `HTTP recalls/s, ${CLIENTS} clients, 8 tenants ÷ pgbench one tx per recall`,
      value: rateOf(httpEight),
      unit: 'recalls/s',
      baseline: { label: 'pgbench tx/s', value: rateOf(pgEight) },
      target: { op: '>=', value: 1.0 },
    });
    reportFigure({
      figure: 'recall.http.1-tenant',
      label: `HTTP recalls/s, ${CLIENTS} clients, 1 tenant ÷ pgbench one tx per recall`,
      value: rateOf(httpOne),
      unit: 'recalls/s',
      baseline: { label: 'pgbench tx/s', value: rateOf(pgOne) },
      target: { op: '>=', value: 1.4 },
    });
    reportFigure({
      figure: 'recall.p99-at-half-saturation',
      label: `recall p99 at ${halfRate.toFixed(0)}/s (half of saturation), 8 tenants`,
      value: paced.p99,
      unit: 'ms',
      lowerIsBetter: true,
      target: { op: '<=', value: 25 },
    });
    reportFigure({ figure: 'recall.p50-at-saturation', label: 'recall p50 at saturation, 8 tenants', value: httpEight.p50, unit: 'ms', lowerIsBetter: true });
    console.log(
      `ratio HTTP / pgbench:  1 tenant ${(rateOf(httpOne) / rateOf(pgOne)).toFixed(2)}   8 tenants ${(rateOf(httpEight) / rateOf(pgEight)).toFixed(2)}` +
        `   (8 tenants / 1 tenant: HTTP ${(rateOf(httpEight) / rateOf(httpOne)).toFixed(2)}, pgbench ${(rateOf(pgEight) / rateOf(pgOne)).toFixed(2)})`,
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
