import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ProcessTree } from '../../../bench/run-all';
import { dropDatabase, withDatabase } from './database';
import { freePort } from './ports';
import { ROOT, buildConsole, consoleBuildIsCurrent } from './stack';

/**
 * `npm start` and `npm test` as a process manager or a terminal runs them: started through npm,
 * stopped by a signal to npm's pid (or npm's death), then every process they started must be gone
 * and their ports closed. The starts use the browser tests' console build (the same dist dir and
 * API port as `npm test`'s browser run), built here first when it is not current.
 */
const OWNER_URL = process.env.TEST_OWNER_DATABASE_URL;
const APP_URL = process.env.TEST_APP_DATABASE_URL;
const API_PORT = Number(process.env.TEST_API_PORT ?? 3101);
const DIST_DIR = process.env.TEST_CONSOLE_DIST_DIR ?? '.next-test';
const CONSOLE_DIR = join(ROOT, 'apps/console');
const STOP_SECONDS = 20;

/** The environment of someone running npm: none of Jest's variables or Node options. */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JEST_') && !['NODE_OPTIONS', 'NODE_ENV'].includes(name)));
  return { ...env, ...extra };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

interface NpmRun {
  child: ChildProcess;
  tree: ProcessTree;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first output line matching `pattern`; rejects when npm exits or `ms` pass first. */
  line: (pattern: RegExp, ms: number) => Promise<string>;
}

const runs: NpmRun[] = [];

function npm(args: string[], env: NodeJS.ProcessEnv): NpmRun {
  // Its own process group, as a terminal would start it; afterEach cleans up after a failed test.
  const child = spawn('npm', args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tree = new ProcessTree(child.pid!).watch(100);
  const output: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      output.push(...lines);
      for (const wake of waiters) wake();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  void exited.then(() => waiters.forEach((wake) => wake()));
  const line = (pattern: RegExp, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no line matching ${pattern} within ${ms / 1000} s:\n${output.slice(-30).join('\n')}`))),
        ms,
      );
      const finish = (settle: () => void) => (clearTimeout(timer), waiters.delete(check), settle());
      const check = () => {
        const found = output.find((candidate) => pattern.test(candidate));
        if (found !== undefined) finish(() => resolve(found));
        else if (child.exitCode !== null || child.signalCode !== null)
          finish(() => reject(new Error(`npm exited before printing ${pattern}:\n${output.slice(-30).join('\n')}`)));
      };
      waiters.add(check);
      check();
    });
  const run = { child, tree, output, exited, line };
  runs.push(run);
  return run;
}

/** After npm has exited: what is still running of everything it started, once stragglers had `ms` to go. */
async function leftAfterExit(run: NpmRun, ms = 15_000): Promise<string[]> {
  const waiting = new AbortController();
  const outcome = await Promise.race([run.exited, delay(STOP_SECONDS * 1000, undefined, { signal: waiting.signal }).catch(() => undefined)]);
  waiting.abort();
  if (!outcome) throw new Error(`npm still runs ${STOP_SECONDS} s after the signal:\n${run.output.slice(-30).join('\n')}`);
  run.tree.snapshot();
  await run.tree.settle(ms);
  return run.tree.alive().map((p) => `${p.pid} ${p.command}`);
}

const consoleEnv = { API_INTERNAL_URL: `http://127.0.0.1:${API_PORT}`, CONSOLE_DIST_DIR: DIST_DIR };

/** Builds the console when it is not current (the first run, or someone edited a source meanwhile). */
async function consoleBuilt(): Promise<void> {
  const env = userEnv(consoleEnv);
  if (!consoleBuildIsCurrent(env)) await buildConsole(env, (line) => process.stdout.write(`${line}\n`));
}

beforeAll(async () => {
  if (!OWNER_URL || !APP_URL) throw new Error('TEST_OWNER_DATABASE_URL and TEST_APP_DATABASE_URL are not set: run the tests with `npm test`');
  if (await portOpen(API_PORT)) throw new Error(`port ${API_PORT} (TEST_API_PORT) is in use: the console build under test is made for it`);
  await consoleBuilt();
}, 600_000);

// A test that failed before its stop left things running: they must not fail the next one.
afterEach(async () => {
  for (const run of runs.splice(0)) {
    await run.tree.stopLeftovers(2000);
    if (run.child.exitCode === null && run.child.signalCode === null) process.kill(run.child.pid!, 'SIGKILL');
  }
});

describe('npm start', () => {
  const database = `retract_lifecycle_${Date.now()}_${randomBytes(3).toString('hex')}`;
  afterAll(() => dropDatabase(withDatabase(OWNER_URL!, database)));

  // A process manager signals npm's pid (npm hands SIGINT and SIGTERM on to its script); SIGKILL
  // leaves the stack without its parent; a terminal signals the whole foreground process group.
  it.each([
    { signal: 'SIGINT', to: "npm's pid" },
    { signal: 'SIGTERM', to: "npm's pid" },
    { signal: 'SIGKILL', to: "npm's pid" },
    { signal: 'SIGINT', to: 'the process group (Ctrl-C)' },
    { signal: 'SIGHUP', to: 'the process group (terminal closed)' },
  ] as const)(
    'stops the API and the console on $signal to $to, and starts without rebuilding an unchanged console',
    async ({ signal, to }) => {
      const consolePort = await freePort();
      await consoleBuilt();
      // `npm test` builds the console into its own dist dir, and `next build` then rewrites
      // next-env.d.ts (it names the dist dir) under every other build: that is no source change.
      const nextEnv = join(CONSOLE_DIR, 'next-env.d.ts');
      const before = readFileSync(nextEnv, 'utf8');
      writeFileSync(nextEnv, before.replace(/\.\/[^"]+\/types\//g, './.next-another-build/types/'));
      let run: NpmRun;
      try {
        run = npm(
          ['start', '--silent'],
          userEnv({
            ...consoleEnv,
            DATABASE_URL: withDatabase(OWNER_URL!, database),
            APP_DATABASE_URL: withDatabase(APP_URL!, database),
            API_PORT: String(API_PORT),
            API_HOST: '127.0.0.1',
            PORT: String(consolePort),
            CONSOLE_ORIGIN: `http://localhost:${consolePort}`,
            SEED_DEMO: 'false',
          }),
        );
        await run.line(/Retract is running/, 180_000);
      } finally {
        writeFileSync(nextEnv, before);
      }
      expect(run.output.filter((line) => /building the console/.test(line))).toEqual([]);
      expect((await fetch(`http://127.0.0.1:${API_PORT}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${consolePort}/login`)).status).toBe(200);

      run.tree.snapshot();
      process.kill(to === "npm's pid" ? run.child.pid! : -run.child.pid!, signal);
      expect(await leftAfterExit(run)).toEqual([]);
      expect(await portOpen(API_PORT)).toBe(false);
      expect(await portOpen(consolePort)).toBe(false);
    },
    420_000,
  );
});

describe('npm test', () => {
  // On an embedded PostgreSQL of its own: it must be stopped too (and a test run on the shared
  // server would give the cluster-wide app role a new password under the tests running now).
  it('stops Jest and its embedded PostgreSQL when npm gets SIGINT, and fails', async () => {
    const run = npm(
      ['test', '--', '--unit', '--selectProjects', 'runtime', `--globalSetup=${join(__dirname, 'fixtures/hang-global-setup.js')}`],
      userEnv({ DATABASE_URL: undefined }),
    );
    await run.line(/Jest is running and waits to be stopped/, 120_000);
    expect(run.tree.alive().some((p) => /postgres/.test(p.command))).toBe(true);

    run.tree.snapshot();
    process.kill(run.child.pid!, 'SIGINT');
    expect(await leftAfterExit(run)).toEqual([]);
    expect((await run.exited).code).not.toBe(0);
    expect(run.output.slice(-2)).toEqual(['interrupted before the tests finished', '0 passed, 1 failed']);
  }, 180_000);
});
