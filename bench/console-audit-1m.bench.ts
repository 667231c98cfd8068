/**
 * The audit page with a million entries: how long the console takes to show the first page,
 * the next page, a filtered page, a page deep in the log, and a verified entry, measured in
 * Chromium against the production console build and the real API.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres SWC_NODE_PROJECT=tsconfig.base.json \
 *     node -r @swc-node/register bench/console-audit-1m.bench.ts
 *
 * 1. A scratch database `retract_bench_console_audit` (kept between runs; BENCH_DROP=true
 *    drops it at the end) gets the migrations and the demo data.
 * 2. acme's log is filled to BENCH_ENTRIES (default 1,000,000) entries through the owner
 *    connection, in batches of 5,000: each entry is a real canonical leaf (libs/audit-log
 *    encodeLeaf / hashLeaf), the completed subtree nodes and the head frontier are written the
 *    way AuditLog.append writes them, so proofs, checkpoints and verification work on the
 *    result. (Content is left out: recalled content goes through the vault one entry at a time.)
 * 3. The API starts on TEST_API_PORT (3101) and the console from the test build
 *    (apps/console/.next-test, built by `npm test -- --browser` for that API address) on 3300;
 *    a checkpoint is signed through the API, which proves the bulk-written tree consistent.
 * 4. Chromium signs in as compliance@acme.test and times each view (median of BENCH_RUNS).
 *
 * Do not run it while `npm test -- --browser` runs: both use the API port the test build targets.
 */
import { appendToFrontier, encodeLeaf, hashLeaf, type AuditEntry, type Frontier } from '@retract/audit-log';
import { createDb } from '@retract/db';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium, type Page } from 'playwright-core';
import { seedDemo } from '../prisma/seed/demo';
import { dropDatabase, isEmpty, withDatabase } from '../tools/runtime/src/database';
import { ROOT, buildConsole, consoleBuildIsCurrent, prepareDatabase, startApi, startConsole, stopProcess, waitForHttp } from '../tools/runtime/src/stack';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BATCH = 5_000;
const API_PORT = Number(process.env.TEST_API_PORT ?? 3101);
const CONSOLE_PORT = Number(process.env.BENCH_CONSOLE_PORT ?? 3300);
const DB_NAME = 'retract_bench_console_audit';
const PASSWORD = 'retract-demo';
const log = (line: string) => process.stdout.write(`${line}\n`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ACTIONS = ['RECALL_DENIED', 'MESSAGE_RECALLED', 'POLICY_CHANGED', 'AUDIT_CONTENT_VIEWED', 'EXPORT_CREATED'] as const;

/** Appends `count` synthetic entries after the current head, batch by batch, as AuditLog.append would. */
async function fill(ownerUrl: string, tenantId: string, actors: string[], target: number): Promise<number> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [tenantId]);
    const { rows } = await client.query<{ size: string; frontier: Buffer[]; updated_at: Date }>('SELECT size, frontier, updated_at FROM audit_log_heads WHERE tenant_id = $1', [tenantId]);
    let frontier: Frontier = { size: Number(rows[0].size), hashes: rows[0].frontier.map((b) => new Uint8Array(b)) };
    if (frontier.size >= target) return frontier.size;
    log(`filling acme's audit log from ${frontier.size} to ${target} entries...`);
    const started = Date.now();
    // Spread the synthetic history over the last 60 days, oldest first, never before the head.
    const span = 60 * 86_400_000;
    const firstAt = Math.max(rows[0].updated_at.getTime() + 1, Date.now() - span);
    const step = Math.max(1, Math.floor((Date.now() - firstAt) / (target - frontier.size)));
    while (frontier.size < target) {
      const n = Math.min(BATCH, target - frontier.size);
      const cols = { seq: [] as string[], leaf: [] as Buffer[], hash: [] as Buffer[], at: [] as Date[], action: [] as string[], actor: [] as string[], subject: [] as (string | null)[], decided: [] as (string | null)[], denial: [] as (string | null)[], search: [] as string[] };
      const nodes = { level: [] as number[], index: [] as string[], hash: [] as Buffer[] };
      for (let i = 0; i < n; i++) {
        const seq = frontier.size;
        const action = ACTIONS[seq % ACTIONS.length];
        const actor = actors[seq % actors.length];
        const at = new Date(Math.min(Date.now(), firstAt + (seq - Number(rows[0].size)) * step));
        const denial = action === 'RECALL_DENIED' ? (seq % 3 === 0 ? 'RATE_LIMITED' : 'WINDOW_EXPIRED') : null;
        const decided = action === 'RECALL_DENIED' || action === 'MESSAGE_RECALLED' ? 'TENANT_DEFAULT' : null;
        const details = { bench: true, batch: Math.floor(seq / BATCH) };
        const entry: AuditEntry = {
          tenantId,
          seq,
          occurredAt: at.toISOString(),
          action,
          actorId: actor,
          subjectUserId: decided ? actor : null,
          conversationId: null,
          messageId: null,
          policyVersion: decided ? 1 : null,
          decidedBy: decided,
          denialCode: denial,
          forced: false,
          reason: null,
          details,
          content: null,
        };
        const leaf = encodeLeaf(entry);
        const leafHash = hashLeaf(leaf);
        const appended = appendToFrontier(frontier, leafHash);
        frontier = appended.frontier;
        for (const node of appended.completedNodes) {
          nodes.level.push(node.level);
          nodes.index.push(String(node.index));
          nodes.hash.push(Buffer.from(node.hash));
        }
        cols.seq.push(String(seq));
        cols.leaf.push(Buffer.from(leaf));
        cols.hash.push(Buffer.from(leafHash));
        cols.at.push(at);
        cols.action.push(action);
        cols.actor.push(actor);
        cols.subject.push(decided ? actor : null);
        cols.decided.push(decided);
        cols.denial.push(denial);
        cols.search.push([action, '', decided ?? '', denial ?? '', JSON.stringify(details)].join(' ').toLowerCase());
      }
      await client.query('BEGIN');
      await client.query('SELECT size FROM audit_log_heads WHERE tenant_id = $1 FOR UPDATE', [tenantId]);
      await client.query(
        `INSERT INTO audit_entries (tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, subject_user_id, policy_version, decided_by, denial_code, search_text)
         SELECT $1::uuid, s, l, h, a, act::audit_action, ac, sub, CASE WHEN d IS NULL THEN NULL ELSE 1 END, d, dn, st
           FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::timestamptz[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[])
             AS t(s, l, h, a, act, ac, sub, d, dn, st)`,
        [tenantId, cols.seq, cols.leaf, cols.hash, cols.at, cols.action, cols.actor, cols.subject, cols.decided, cols.denial, cols.search],
      );
      if (nodes.level.length)
        await client.query(`INSERT INTO audit_tree_nodes (tenant_id, level, index, hash) SELECT $1::uuid, lv, ix, hs FROM unnest($2::smallint[], $3::bigint[], $4::bytea[]) AS n(lv, ix, hs)`, [
          tenantId,
          nodes.level,
          nodes.index,
          nodes.hash,
        ]);
      await client.query('UPDATE audit_log_heads SET size = $2, frontier = $3::bytea[], updated_at = $4 WHERE tenant_id = $1', [
        tenantId,
        String(frontier.size),
        frontier.hashes.map((h) => Buffer.from(h)),
        cols.at[cols.at.length - 1],
      ]);
      await client.query('COMMIT');
      if (frontier.size % 100_000 < BATCH) log(`  ${frontier.size} entries (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    await client.query('ANALYZE audit_entries');
    log(`filled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return frontier.size;
  } finally {
    await client.end();
  }
}

/** Runs `once` `runs` times; it may return its own measurement (ms) when setup must not count. */
async function timed(label: string, runs: number, once: (run: number) => Promise<number | void>): Promise<{ label: string; medianMs: number; runsMs: number[] }> {
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const own = await once(run);
    runsMs.push(Math.round(typeof own === 'number' ? own : performance.now() - started));
  }
  const result = { label, medianMs: median(runsMs), runsMs };
  log(`${label.padEnd(62)} median ${String(result.medianMs).padStart(6)} ms   runs ${runsMs.join(', ')}`);
  return result;
}

async function signIn(page: Page, base: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Organisation').fill('acme');
  await page.getByLabel('Email').fill('compliance@acme.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function main() {
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const kek = process.env.BENCH_AUDIT_KEK ?? Buffer.alloc(32, 11).toString('base64');
  process.env.AUDIT_KEK = kek; // the demo seed seals content with it
  const database = await prepareDatabase({
    databaseUrl: withDatabase(server, DB_NAME),
    database: DB_NAME,
    secrets: { APP_DB_PASSWORD: 'bench-console-audit', EMBEDDED_PG_PASSWORD: randomBytes(8).toString('hex') },
    log: () => undefined,
  });
  if (await isEmpty(database.appUrl)) {
    const db = createDb({ connectionString: database.appUrl, maxConnections: 2 });
    await seedDemo(db);
    await db.$disconnect();
  }
  const owner = new Client({ connectionString: database.ownerUrl });
  await owner.connect();
  const { rows: tenant } = await owner.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'acme'`);
  const { rows: users } = await owner.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 ORDER BY email', [tenant[0].id]);
  await owner.end();
  const size = await fill(database.ownerUrl, tenant[0].id, users.map((u) => u.id), ENTRIES);

  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: undefined, JWT_SECRET: randomBytes(32).toString('base64url'), AUDIT_KEK: kek, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') };
  const consoleEnv = { ...env, API_INTERNAL_URL: `http://127.0.0.1:${API_PORT}`, PORT: String(CONSOLE_PORT), CONSOLE_DIST_DIR: '.next-test' };
  const api = startApi({ ...env, APP_DATABASE_URL: database.appUrl, API_PORT: String(API_PORT), CONSOLE_ORIGIN: `http://127.0.0.1:${CONSOLE_PORT}`, LOG_LEVEL: 'warn' }, true);
  const results: Awaited<ReturnType<typeof timed>>[] = [];
  try {
    if (!consoleBuildIsCurrent(consoleEnv)) await buildConsole(consoleEnv, log);
    const web = startConsole(consoleEnv, CONSOLE_PORT, true);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      await waitForHttp(`http://127.0.0.1:${API_PORT}/healthz`, 60_000, () => api.child.exitCode === null);
      await waitForHttp(`http://127.0.0.1:${CONSOLE_PORT}/login`, 120_000, () => web.child.exitCode === null);
      const base = `http://127.0.0.1:${CONSOLE_PORT}`;
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await signIn(page, base);

      // Sign a checkpoint over the whole filled log (also proves the bulk-written tree consistent).
      const signStarted = performance.now();
      const checkpoint = await page.evaluate(async () => (await fetch('/api/v1/audit/checkpoints', { method: 'POST' })).json());
      log(`log size ${size}; checkpoint of ${checkpoint.treeSize} entries signed in ${Math.round(performance.now() - signStarted)} ms`);

      const firstRow = () => page.getByTestId('audit-row').first().waitFor();
      results.push(await timed('audit page, first page of 50 (navigation to rows visible)', RUNS, async () => {
        await page.goto(`${base}/audit`);
        await firstRow();
      }));
      results.push(await timed('next page ("Older", keyset cursor)', RUNS, async () => {
        await page.goto(`${base}/audit`);
        await firstRow();
        const before = await page.getByTestId('audit-row').first().innerText();
        const started = performance.now();
        await page.getByTestId('audit-older').click();
        await page.waitForFunction((text) => document.querySelector('[data-testid=audit-row]')?.textContent !== text && !document.querySelector('.table-card.is-pending'), before);
        return performance.now() - started;
      }));
      const deep = Math.floor(size / 2);
      results.push(await timed(`page deep in the log (entries below #${deep})`, RUNS, async () => {
        await page.goto(`${base}/audit?cursor=${deep}`);
        await firstRow();
      }));
      results.push(await timed('filtered: action = Recall refused', RUNS, async () => {
        await page.goto(`${base}/audit?action=RECALL_DENIED`);
        await firstRow();
      }));
      results.push(await timed('filtered: last 7 days', RUNS, async () => {
        const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
        await page.goto(`${base}/audit?from=${from}`);
        await firstRow();
      }));
      results.push(await timed('search: "rate_limited" (common term)', RUNS, async () => {
        await page.goto(`${base}/audit?q=rate_limited`);
        await firstRow();
      }));
      results.push(await timed('search: a term no entry has (scans the whole log)', Math.min(RUNS, 3), async (run) => {
        await page.goto(`${base}/audit?q=no-such-term-${run}`);
        await page.getByTestId('audit-empty').waitFor({ timeout: 120_000 });
      }));
      results.push(await timed('open an entry deep in the log until "Verified"', RUNS, async (run) => {
        const seq = deep - 1 - run;
        await page.goto(`${base}/audit?cursor=${deep}&entry=${seq}`);
        await page.locator('[data-testid=verify-status][data-state=verified]').waitFor({ timeout: 60_000 });
      }));
      const api1 = await timed('API only: GET /api/v1/audit?limit=50 (from the browser)', RUNS, async () => {
        await page.evaluate(async () => (await fetch('/api/v1/audit?limit=50')).json());
      });
      results.push(api1);
      const verifyStarted = performance.now();
      const verified = await page.evaluate(async (to) => (await fetch('/api/v1/audit/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fromSeq: to - 9_999, toSeq: to }) })).json(), size - 1);
      log(`verify the newest 10,000 entries: ok=${verified.ok} in ${Math.round(performance.now() - verifyStarted)} ms`);
    } finally {
      await browser.close();
      await stopProcess(web);
    }
  } finally {
    await stopProcess(api);
    if (process.env.BENCH_DROP === 'true') await dropDatabase(database.ownerUrl);
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'console-audit-1m.json'), JSON.stringify({ entries: size, runs: RUNS, at: new Date().toISOString(), results }, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
