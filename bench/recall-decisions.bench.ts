/**
 * Recall decisions for chat systems (POST /api/v1/recall-decisions, docs/integration.md) over
 * HTTP, next to pgbench running the same SQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node -r @swc-node/register bench/recall-decisions.bench.ts     (BENCH_SECONDS=4, BENCH_CLIENTS=16)
 *
 * A throwaway database, the real API as a child process (production mode), one organisation with a
 * service account and BENCH_CLIENTS people the directory named, each with one recorded recall (so
 * the person and the conversation exist, as in a chat system that has been running a while). Then:
 *   1. HTTP:    each client asks for the decision on a fresh message of its person, as fast as it can.
 *   2. pgbench: the statements one decision runs (the token lookup, then one transaction with the
 *               sender, the conversation, the message's first sight and the actor's recent recalls,
 *               as integration/use-cases/decide-external-recall.ts issues them; the policy comes from
 *               the replica's cache), as the same database role under RLS — without HTTP, auth, JSON.
 * Prints decisions/s with p50/p99 for both and a BENCH figure: HTTP decisions/s ÷ pgbench tx/s.
 */
import { createDb } from '@retract/db';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { provisionTenant } from '../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../apps/api/src/modules/tenants/tenant-initializers';
import { closedLoop, describeLoad, httpJson, percentile, post, rateOf, type LoadResult } from './load';
import { reportFigure } from './report';
import { dropDatabase } from '../tools/runtime/src/database';
import { freePort } from '../tools/runtime/src/ports';
import { productionApiEnv, startApi, stopProcess, waitForHttp } from '../tools/runtime/src/stack';
import { prepareBenchDatabase } from './bench-database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const PGBENCH = process.env.PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';
const PASSWORD = 'bench-password-1234';
const SOURCE = 'benchchat';

const decisionFor = (person: string) => ({
  message: {
    source: SOURCE,
    externalId: `m-${randomUUID()}`,
    type: 'TEXT',
    sentAt: new Date(Date.now() - 1000).toISOString(),
    sender: { source: SOURCE, externalId: person },
    conversation: { source: SOURCE, externalId: `room-${person}`, kind: 'DIRECT' },
  },
  actor: { source: SOURCE, externalId: person },
});

/** The statements of one decision (decide-external-recall.ts and its stores), for pgbench. */
function pgbenchScript(tenantId: string, tokenHash: string): string {
  return [
    `\\set p random(0, ${CLIENTS - 1})`,
    `SELECT tenant_id, id, name, scopes FROM service_account_enter('\\x${tokenHash}'::bytea);`,
    'BEGIN;',
    `SELECT app_enter('${tenantId}'::uuid, NULL, NULL, NULL);`,
    `SELECT p.user_id, u.display_name, u.email, u.locale, u.erased_at IS NOT NULL AS erased FROM external_people p JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.user_id WHERE p.tenant_id = '${tenantId}'::uuid AND p.source = '${SOURCE}' AND p.external_id = 'person-' || :p;`,
    `SELECT c.id, c.kind::text AS kind FROM external_conversations x JOIN conversations c ON c.tenant_id = x.tenant_id AND c.id = x.conversation_id WHERE x.tenant_id = '${tenantId}'::uuid AND x.source = '${SOURCE}' AND x.external_id = 'room-person-' || :p;`,
    `SELECT id, first_seen_at, recalled_at FROM external_messages WHERE tenant_id = '${tenantId}'::uuid AND source = '${SOURCE}' AND external_id = 'm-' || md5(random()::text);`,
    `SELECT count(*)::bigint AS count, min(recalled_at) AS oldest FROM external_messages WHERE tenant_id = '${tenantId}'::uuid AND recalled_by = (SELECT user_id FROM external_people WHERE tenant_id = '${tenantId}'::uuid AND source = '${SOURCE}' AND external_id = 'person-' || :p) AND recalled_at > now() - interval '1 hour' AND recalled_at <= now();`,
    'COMMIT;',
    '',
  ].join('\n');
}

function pgbenchPhase(appUrl: string, script: string, logDir: string): LoadResult {
  const file = join(logDir, 'decisions.sql');
  writeFileSync(file, script);
  const prefix = join(logDir, 'decisions');
  const result = spawnSync(
    PGBENCH,
    ['-n', '-f', file, '-c', String(CLIENTS), '-j', String(Math.min(CLIENTS, 2)), '-T', String(SECONDS), '-l', `--log-prefix=${prefix}`, appUrl],
    { encoding: 'utf8', cwd: logDir },
  );
  if (result.status !== 0) throw new Error(`pgbench failed: ${result.stderr || result.stdout}`);
  const latencies: number[] = [];
  let first = Infinity;
  let last = 0;
  for (const name of readdirSync(logDir).filter((f) => f.startsWith('decisions.') && !f.endsWith('.sql'))) {
    for (const row of readFileSync(join(logDir, name), 'utf8').split('\n')) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 6) continue;
      const latencyUs = Number(fields[2]);
      const at = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
      latencies.push(latencyUs / 1000);
      first = Math.min(first, at - latencyUs / 1000);
      last = Math.max(last, at);
    }
  }
  latencies.sort((a, b) => a - b);
  const failed = /number of failed transactions: (\d+)/.exec(result.stdout)?.[1];
  return {
    count: latencies.length,
    seconds: (last - first) / 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: Number(failed ?? 0),
  };
}

/** POST with an Idempotency-Key (POST /recalls requires one); resolves the status. */
function postWithKey(agent: Agent, base: URL, path: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() };
    const req = request(new URL(path, base), { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function main(): Promise<void> {
  const name = `retract_bench_decisions_${Date.now()}`;
  const server = process.env.DATABASE_URL;
  const database = await prepareBenchDatabase(name, 54361);
  const logDir = mkdtempSync(join(tmpdir(), 'retract-decisions-bench-'));
  const port = await freePort();
  const api = startApi(
    productionApiEnv(database.appUrl, port, { DB_POOL_SIZE: String(Math.max(10, CLIENTS + 2)), SERVICE_ACCOUNT_REQUESTS_PER_MINUTE: '1000000' }),
    true,
  );
  const db = createDb({ connectionString: database.appUrl, maxConnections: 2 });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const slug = `bench-decisions-${randomBytes(3).toString('hex')}`;
    const { tenant } = await provisionTenant(
      db,
      { slug, name: 'Bench decisions', locale: 'en', adminEmail: `admin@${slug}.test`, adminPassword: PASSWORD },
      TENANT_INITIALIZERS,
    );
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 90_000, () => api.child.exitCode === null);
    const base = new URL(`http://127.0.0.1:${port}`);
    const login = await post(agent, base, '/api/v1/auth/login', undefined, { tenant: slug, email: `admin@${slug}.test`, password: PASSWORD });
    if (login.status !== 200) throw new Error(`login failed: ${login.body}`);
    const adminToken = (JSON.parse(login.body) as { accessToken: string }).accessToken;
    const created = await post(agent, base, '/api/v1/service-accounts', adminToken, {
      name: 'bench chat',
      scopes: ['recall:decide', 'recall:record', 'directory:write'],
    });
    if (created.status !== 201) throw new Error(`service account: ${created.body}`);
    const token = (JSON.parse(created.body) as { token: string }).token;
    const people = Array.from({ length: CLIENTS }, (_, i) => `person-${i}`);
    for (const person of people) {
      const named = await httpJson(agent, base, 'PUT', `/api/v1/directory/people/${SOURCE}/${person}`, token, { displayName: person });
      if (named.status !== 200) throw new Error(`directory: ${named.body}`);
      // One recorded recall per person: the conversation exists and the rate-limit count reads a real index.
      const recorded = await postWithKey(agent, base, '/api/v1/recalls', token, { ...decisionFor(person), content: { text: 'bench' } });
      if (recorded !== 201) throw new Error(`recording a recall answered ${recorded}`);
    }
    // Warm-up (JIT, pools) outside the measurement.
    for (let i = 0; i < 50; i++) await post(agent, base, '/api/v1/recall-decisions', token, decisionFor(people[i % CLIENTS]));

    console.log(`recall-decisions benchmark: ${CLIENTS} concurrent clients, ${SECONDS} s per phase, ${cpus().length} CPU cores`);
    const clients = people.map((person) => ({ person }));
    const http = await closedLoop(
      clients,
      SECONDS,
      async ({ person }) => (await post(agent, base, '/api/v1/recall-decisions', token, decisionFor(person))).status === 200,
    );
    console.log(describeLoad('HTTP     decisions', http, 'decisions'));
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const sql = pgbenchPhase(database.appUrl, pgbenchScript(tenant.id, tokenHash), logDir);
    console.log(describeLoad('pgbench  decision SQL', sql, 'decisions'));
    if (http.errors > 0) throw new Error(`${http.errors} decisions were not answered 200: the figures are not valid`);
    reportFigure({
      figure: 'integration.recall-decisions.http',
      label: `HTTP recall decisions/s (service token), ${CLIENTS} clients ÷ pgbench of the decision's SQL`,
      value: rateOf(http),
      unit: 'decisions/s',
      baseline: { label: 'pgbench tx/s', value: rateOf(sql) },
      target: { op: '>=', value: 0.5 },
    });
    reportFigure({ figure: 'integration.recall-decisions.p99', label: 'recall decision p99 at saturation', value: http.p99, unit: 'ms', lowerIsBetter: true });
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
