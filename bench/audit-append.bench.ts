/**
 * Audit append throughput through the real write path (AuditLog.append in its own transaction,
 * then group commit by the sequencer), against a bare INSERT of the same row measured in the same
 * run: the leaf bytes and searchable columns of an entry, one transaction per row, into a scratch
 * copy of `audit_entries` with all its indexes, from the same number of concurrent clients.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:audit
 *
 * Phases: 1 tenant (16 appends in flight from one process), 8 tenants (8 processes, 2 in flight
 * each), and the baseline with 16 clients.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { createDb, inTenant } from '@retract/db';
import { runAppendWorker, type WorkerResult } from '../apps/api/test/fixtures/run-workers';
import { dropDatabase } from '../tools/runtime/src/database';
import { reportFigure } from './report';
import { prepareBenchDatabase } from './bench-database';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 4000);
const IN_FLIGHT = 16;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function summarize(label: string, results: WorkerResult[]) {
  const total = results.reduce((sum, r) => sum + r.count, 0);
  const seconds = (Math.max(...results.map((r) => r.finishedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  const latencies = results.flatMap((r) => r.latenciesMs);
  const rate = total / seconds;
  console.log(
    `${label.padEnd(40)} ${total} appends in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} appends/s  p50 ${percentile(latencies, 50).toFixed(2)} ms  p99 ${percentile(latencies, 99).toFixed(2)} ms`,
  );
  return rate;
}

/** The same row, written the plain way: one INSERT, one transaction, per entry. */
async function bareInsert(ownerUrl: string, clients: number, tenantId: string): Promise<number> {
  const setup = new Client({ connectionString: ownerUrl });
  await setup.connect();
  await setup.query('CREATE TABLE bench_entries (LIKE audit_entries INCLUDING ALL)');
  const [sample] = (await setup.query('SELECT leaf, search_text FROM audit_entries ORDER BY seq DESC LIMIT 1')).rows as { leaf: Buffer; search_text: string }[];
  await setup.end();
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ connectionString: ownerUrl });
      client.on('error', () => undefined);
      await client.connect();
      for (let seq = next++; seq < APPENDS; seq = next++) {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO bench_entries (tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, policy_version, search_text)
           VALUES ($1, $2, $3, $4, now(), 'POLICY_CHANGED', $5, $6, $7)`,
          [tenantId, seq, sample.leaf, sample.leaf.subarray(0, 32), randomUUID(), seq + 1, sample.search_text],
        );
        await client.query('COMMIT');
      }
      await client.end();
    }),
  );
  const rate = APPENDS / ((Date.now() - started) / 1000);
  console.log(`${`baseline: bare INSERT, ${clients} clients`.padEnd(40)} ${APPENDS} inserts = ${rate.toFixed(0)} tx/s`);
  return rate;
}

async function main() {
  const name = `retract_bench_${Date.now()}`;
  const server = process.env.DATABASE_URL;
  const database = await prepareBenchDatabase(name, 54349);
  const kek = randomBytes(32).toString('base64');
  const env = { APP_DATABASE_URL: database.appUrl, AUDIT_KEK: kek };
  try {
    const db = createDb({ connectionString: database.appUrl, maxConnections: 2 });
    const tenants: { id: string; actor: string }[] = [];
    for (let i = 0; i < 9; i++) {
      const id = randomUUID();
      await inTenant(db, { tenantId: id }, (tx) => tx.tenant.create({ data: { id, slug: `bench-${i}-${id.slice(0, 6)}`, name: `Bench ${i}` } }));
      tenants.push({ id, actor: randomUUID() });
    }
    await db.$disconnect();
    console.log(`audit append benchmark: ${APPENDS} appends per phase, ${IN_FLIGHT} in flight, ${cpus().length} cores`);
    const [first, ...eight] = tenants;
    const one = summarize(`1 tenant, 1 process × ${IN_FLIGHT} in flight`, [await runAppendWorker(env, first.id, APPENDS, first.actor, IN_FLIGHT)]);
    const perTenant = Math.ceil(APPENDS / eight.length);
    const spread = summarize(
      `8 tenants, 8 processes × ${IN_FLIGHT / 8} in flight`,
      await Promise.all(eight.map((t) => runAppendWorker(env, t.id, perTenant, t.actor, IN_FLIGHT / 8))),
    );
    const base = await bareInsert(database.ownerUrl, IN_FLIGHT, first.id);
    console.log(`ratio 1 tenant / baseline: ${(one / base).toFixed(2)}   8 tenants / baseline: ${(spread / base).toFixed(2)}`);
    reportFigure({
      figure: 'audit.appends.1-tenant',
      label: `audit appends/s, 1 tenant, ${IN_FLIGHT} in flight ÷ bare INSERT of the same row`,
      value: one,
      unit: 'appends/s',
      baseline: { label: `bare INSERT tx/s, ${IN_FLIGHT} clients`, value: base },
      target: { op: '>=', value: 1.0 },
    });
    reportFigure({
      figure: 'audit.appends.8-tenants',
      label: `audit appends/s, 8 tenants, ${IN_FLIGHT} in flight ÷ bare INSERT of the same row`,
      value: spread,
      unit: 'appends/s',
      baseline: { label: `bare INSERT tx/s, ${IN_FLIGHT} clients`, value: base },
    });
  } finally {
    if (server) await dropDatabase(database.ownerUrl).catch(() => undefined);
    await database.embedded?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
