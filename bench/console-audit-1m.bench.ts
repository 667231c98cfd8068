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
 * 2. acme's log is filled to BENCH_ENTRIES (default 1,000,000) entries by bench/fill-audit-log.ts
 *    (real canonical leaves of plausible activity by acme's people, the completed subtree nodes and
 *    the head, so proofs, checkpoints and verification work on the result; content is left out).
 *    The demo's own entries are recent, so the filled history follows them within seconds.
 * 3. The API starts on TEST_API_PORT (3101) and the console from the test build
 *    (apps/console/.next-test, built by `npm test -- --browser` for that API address) on 3300;
 *    a checkpoint is signed through the API, which proves the bulk-written tree consistent.
 * 4. Chromium signs in as compliance@acme.test and times each view (median of BENCH_RUNS).
 *
 * Do not run it while `npm test -- --browser` runs: both use the API port the test build targets.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { chromium, type Page } from 'playwright-core';
import { seedDemo } from '../prisma/seed/demo';
import { dropDatabase, isEmpty, withDatabase } from '../tools/runtime/src/database';
import { ROOT, buildConsole, consoleBuildIsCurrent, prepareDatabase, startApi, startConsole, stopProcess, waitForHttp } from '../tools/runtime/src/stack';
import { fillAuditLog } from './fill-audit-log';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const API_PORT = Number(process.env.TEST_API_PORT ?? 3101);
const CONSOLE_PORT = Number(process.env.BENCH_CONSOLE_PORT ?? 3300);
const DB_NAME = 'retract_bench_console_audit';
const PASSWORD = 'retract-demo';
const log = (line: string) => process.stdout.write(`${line}\n`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `once` `runs` times; it may return its own measurement (ms) when setup must not count. */
async function timed(
  label: string,
  runs: number,
  once: (run: number) => Promise<number | void>,
): Promise<{ label: string; medianMs: number; runsMs: number[] }> {
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
    await seedDemo(database.appUrl);
  }
  const owner = new Client({ connectionString: database.ownerUrl });
  await owner.connect();
  const { rows: tenant } = await owner.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'acme'`);
  const { rows: users } = await owner.query<{ id: string; roles: string[] }>(
    'SELECT id, roles::text[] AS roles FROM users WHERE tenant_id = $1 ORDER BY email',
    [tenant[0].id],
  );
  await owner.end();
  const withRole = (role: string) => users.filter((u) => u.roles.includes(role)).map((u) => u.id);
  const population = { employees: withRole('EMPLOYEE'), admins: withRole('ADMIN'), compliance: withRole('COMPLIANCE') };
  log(`filling acme's audit log to ${ENTRIES.toLocaleString('en')} entries...`);
  const { size } = await fillAuditLog({ ownerUrl: database.ownerUrl, tenantId: tenant[0].id, target: ENTRIES, population, spanDays: 60, log });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: undefined,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEK: kek,
    SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
  };
  const consoleEnv = { ...env, API_INTERNAL_URL: `http://127.0.0.1:${API_PORT}`, PORT: String(CONSOLE_PORT), CONSOLE_DIST_DIR: '.next-test' };
  const api = startApi(
    { ...env, APP_DATABASE_URL: database.appUrl, API_PORT: String(API_PORT), CONSOLE_ORIGIN: `http://127.0.0.1:${CONSOLE_PORT}`, LOG_LEVEL: 'warn' },
    true,
  );
  const results: Awaited<ReturnType<typeof timed>>[] = [];
  try {
    if (!consoleBuildIsCurrent(consoleEnv)) await buildConsole(consoleEnv, log);
    const web = startConsole(consoleEnv, CONSOLE_PORT, true);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
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
      results.push(
        await timed('audit page, first page of 50 (navigation to rows visible)', RUNS, async () => {
          await page.goto(`${base}/audit`);
          await firstRow();
        }),
      );
      results.push(
        await timed('next page ("Older", keyset cursor)', RUNS, async () => {
          await page.goto(`${base}/audit`);
          await firstRow();
          const before = await page.getByTestId('audit-row').first().innerText();
          const started = performance.now();
          await page.getByTestId('audit-older').click();
          await page.waitForFunction(
            (text) => document.querySelector('[data-testid=audit-row]')?.textContent !== text && !document.querySelector('.table-card.is-pending'),
            before,
          );
          return performance.now() - started;
        }),
      );
      const deep = Math.floor(size / 2);
      results.push(
        await timed(`page deep in the log (entries below #${deep})`, RUNS, async () => {
          await page.goto(`${base}/audit?cursor=${deep}`);
          await firstRow();
        }),
      );
      results.push(
        await timed('filtered: action = Recall refused', RUNS, async () => {
          await page.goto(`${base}/audit?action=RECALL_DENIED`);
          await firstRow();
        }),
      );
      results.push(
        await timed('filtered: last 7 days', RUNS, async () => {
          const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
          await page.goto(`${base}/audit?from=${from}`);
          await firstRow();
        }),
      );
      results.push(
        await timed('search: "rate_limited" (common term)', RUNS, async () => {
          await page.goto(`${base}/audit?q=rate_limited`);
          await firstRow();
        }),
      );
      results.push(
        await timed('search: a term no entry has (scans the whole log)', Math.min(RUNS, 3), async (run) => {
          await page.goto(`${base}/audit?q=no-such-term-${run}`);
          await page.getByTestId('audit-empty').waitFor({ timeout: 120_000 });
        }),
      );
      results.push(
        await timed('open an entry deep in the log until "Verified"', RUNS, async (run) => {
          const seq = deep - 1 - run;
          await page.goto(`${base}/audit?cursor=${deep}&entry=${seq}`);
          await page.locator('[data-testid=verify-status][data-state=verified]').waitFor({ timeout: 60_000 });
        }),
      );
      const api1 = await timed('API only: GET /api/v1/audit?limit=50 (from the browser)', RUNS, async () => {
        await page.evaluate(async () => (await fetch('/api/v1/audit?limit=50')).json());
      });
      results.push(api1);
      const verifyStarted = performance.now();
      const verified = await page.evaluate(
        async (to) =>
          (
            await fetch('/api/v1/audit/verify', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ fromSeq: to - 9_999, toSeq: to }),
            })
          ).json(),
        size - 1,
      );
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
  writeFileSync(
    join(ROOT, 'bench', 'results', 'console-audit-1m.json'),
    JSON.stringify({ entries: size, runs: RUNS, at: new Date().toISOString(), results }, null, 2),
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
