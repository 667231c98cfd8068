/**
 * Audit append throughput: entries/s for one tenant (all appends serialized on its head lock) and
 * for 8 tenants in parallel, each through the real write path, one transaction per append.
 * Baseline in the same run: a bare INSERT of the same size into a scratch table, one transaction
 * each, from the same number of processes, so the ratio shows the cost of the log itself.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:audit
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDb, inTenant } from '@retract/db';
import { runAppendWorker, type WorkerResult } from '../apps/api/test/fixtures/run-workers';
import { prepareDatabase } from '../tools/runtime/src/stack';
import { dropDatabase, withDatabase } from '../tools/runtime/src/database';

const PER_WORKER = Number(process.env.BENCH_APPENDS ?? 500);
const WORKERS = 4;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function summarize(label: string, results: WorkerResult[]) {
  const total = results.reduce((sum, r) => sum + r.count, 0);
  const seconds = (Math.max(...results.map((r) => r.finishedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  const latencies = results.flatMap((r) => r.latenciesMs);
  const rate = total / seconds;
  console.log(`${label.padEnd(34)} ${total} appends in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} appends/s  p50 ${percentile(latencies, 50).toFixed(2)} ms  p99 ${percentile(latencies, 99).toFixed(2)} ms`);
  return rate;
}

async function baseline(ownerUrl: string, workers: number): Promise<number> {
  const setup = new Client({ connectionString: ownerUrl });
  await setup.connect();
  await setup.query('CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, tenant_id uuid, leaf bytea, leaf_hash bytea)');
  await setup.end();
  const leaf = randomBytes(420);
  const started = Date.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const client = new Client({ connectionString: ownerUrl });
      await client.connect();
      for (let i = 0; i < PER_WORKER; i++) {
        await client.query('BEGIN');
        await client.query('INSERT INTO bench_baseline (tenant_id, leaf, leaf_hash) VALUES ($1, $2, $3)', [randomUUID(), leaf, leaf.subarray(0, 32)]);
        await client.query('COMMIT');
      }
      await client.end();
    }),
  );
  const rate = (workers * PER_WORKER) / ((Date.now() - started) / 1000);
  console.log(`${`baseline: bare INSERT, ${workers} clients`.padEnd(34)} ${workers * PER_WORKER} inserts = ${rate.toFixed(0)} tx/s`);
  return rate;
}

async function main() {
  const name = `retract_bench_${Date.now()}`;
  const server = process.env.DATABASE_URL;
  const database = await prepareDatabase({
    databaseUrl: server ? withDatabase(server, name) : undefined,
    database: name,
    secrets: { APP_DB_PASSWORD: randomBytes(12).toString('hex'), EMBEDDED_PG_PASSWORD: randomBytes(12).toString('hex') },
    embeddedPort: 54349,
    log: () => undefined,
  });
  const kek = randomBytes(32).toString('base64');
  const env = { APP_DATABASE_URL: database.appUrl, AUDIT_KEK: kek };
  try {
    const db = createDb({ connectionString: database.appUrl, maxConnections: 2 });
    const tenants: { id: string; actor: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const id = randomUUID();
      const actor = randomUUID();
      await inTenant(db, { tenantId: id }, async (tx) => {
        await tx.tenant.create({ data: { id, slug: `bench-${i}-${id.slice(0, 6)}`, name: `Bench ${i}` } });
      });
      tenants.push({ id, actor });
    }
    await db.$disconnect();
    console.log(`audit append benchmark: ${PER_WORKER} appends per process, machine with ${require('node:os').cpus().length} cores`);
    const base1 = await baseline(database.ownerUrl, WORKERS);
    const one = summarize(`1 tenant, ${WORKERS} processes`, await Promise.all(Array.from({ length: WORKERS }, () => runAppendWorker(env, tenants[0].id, PER_WORKER, tenants[0].actor))));
    const eight = summarize('8 tenants, 8 processes', await Promise.all(tenants.map((t) => runAppendWorker(env, t.id, PER_WORKER, t.actor))));
    const base8 = await baseline(database.ownerUrl, 8);
    console.log(`ratio 1 tenant / baseline: ${(one / base1).toFixed(2)}   8 tenants / baseline: ${(eight / base8).toFixed(2)}   8 tenants / 1 tenant: ${(eight / one).toFixed(2)}`);
  } finally {
    if (server) await dropDatabase(database.ownerUrl).catch(() => undefined);
    await database.embedded?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
