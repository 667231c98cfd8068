/**
 * `npm run bench`: every benchmark, one after another (never in parallel: the numbers are only
 * comparable when nothing else of ours competes for the CPU), each as its own child process with
 * its output streamed under a `[name]` prefix. The `BENCH {json}` lines they print (bench/report.ts)
 * are collected into one table at the end and into bench/results/latest.json. See docs/benchmarks.md.
 *
 *   npm run bench                               everything, full length
 *   npm run bench -- --quick                    shorter runs (a few minutes in all)
 *   npm run bench -- --only recall,verify       some of them (names: see --help)
 *   npm run bench -- --write-docs               also rewrite "Latest figures" in docs/benchmarks.md
 *   npm run bench -- --docs-only                only that, from the bench/results/latest.json there is
 *
 * A benchmark that exits non-zero (or runs past --timeout) is shown as failed and the run goes on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { withRatio, type ReportedFigure } from './report';

const ROOT = join(__dirname, '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const DOCS = join(ROOT, 'docs', 'benchmarks.md');
export const DOCS_START = '<!-- bench:latest:start -->';
export const DOCS_END = '<!-- bench:latest:end -->';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// ---------------------------------------------------------------------------------------------
// The benchmarks

export interface BenchmarkSpec {
  /** Short name for --only and the output prefix. */
  name: string;
  /** Path from the repository root. */
  file: string;
  /** Runs against the PostgreSQL server in DATABASE_URL. */
  needsDatabase: boolean;
  /** Written by someone else and not there yet: skipped (with a note) when the file is missing. */
  optional?: boolean;
}

/** In this order: start before console so both use the console build start-warm makes. */
export const BENCHMARKS: BenchmarkSpec[] = [
  { name: 'recall', file: 'bench/recall.bench.ts', needsDatabase: true },
  { name: 'decisions', file: 'bench/recall-decisions.bench.ts', needsDatabase: true },
  { name: 'audit', file: 'bench/audit-append.bench.ts', needsDatabase: true },
  { name: 'verify', file: 'bench/verifier.bench.ts', needsDatabase: false },
  { name: 'browse', file: 'bench/audit-browse.bench.ts', needsDatabase: true, optional: true },
  { name: 'start', file: 'bench/start-warm.bench.ts', needsDatabase: true },
  { name: 'console', file: 'bench/console-route-sizes.ts', needsDatabase: false },
];

/** Environment for `--quick`; anything already set in the environment wins. */
export const QUICK_ENV: Record<string, string> = {
  BENCH_QUICK: '1',
  BENCH_SECONDS: '3',
  BENCH_APPENDS: '1000',
  BENCH_VERIFY_ENTRIES: '50000',
  BENCH_BROWSE_ENTRIES: '200000',
  BENCH_START_RUNS: '1',
};

// ---------------------------------------------------------------------------------------------
// Options

export interface Options {
  only?: string[];
  quick: boolean;
  writeDocs: boolean;
  /** Only regenerate the docs section from the latest.json there is. */
  docsOnly: boolean;
  timeoutMinutes: number;
  help: boolean;
}

export function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, writeDocs: false, docsOnly: false, timeoutMinutes: 0, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--only')
      options.only = [
        ...(options.only ?? []),
        ...value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ];
    else if (flag === '--quick') options.quick = true;
    else if (flag === '--write-docs') options.writeDocs = true;
    else if (flag === '--docs-only') options.docsOnly = options.writeDocs = true;
    else if (flag === '--timeout') options.timeoutMinutes = Number(value());
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown option ${argv[i]} (see --help)`);
  }
  if (!options.timeoutMinutes) options.timeoutMinutes = options.quick ? 15 : 120;
  if (!Number.isFinite(options.timeoutMinutes) || options.timeoutMinutes <= 0) throw new Error('--timeout takes minutes (a positive number)');
  return options;
}

/** `--only` accepts the short names and the file names without extension (recall, verifier, start-warm, ...). */
export function selectBenchmarks(all: BenchmarkSpec[], only: string[] | undefined): BenchmarkSpec[] {
  if (!only) return all;
  const key = (spec: BenchmarkSpec) => [spec.name, spec.file.replace(/^bench\//, '').replace(/(\.bench)?\.ts$/, '')];
  const unknown = only.filter((name) => !all.some((spec) => key(spec).includes(name)));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${all.map((s) => s.name).join(', ')}`);
  return all.filter((spec) => key(spec).some((k) => only.includes(k)));
}

// ---------------------------------------------------------------------------------------------
// BENCH lines

export type ParsedLine = { kind: 'figure'; figure: ReportedFigure } | { kind: 'malformed'; reason: string } | { kind: 'text' };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * One line of a benchmark's standard output. `BENCH {json}` with a well-formed figure becomes a
 * figure (ratio and met recomputed with report.ts, so every figure in the table follows one rule);
 * any other line starting with `BENCH ` is malformed; everything else is text.
 */
export function parseBenchLine(line: string): ParsedLine {
  const match = /^BENCH (.*)$/.exec(line.replace(/\r$/, ''));
  if (!match) return { kind: 'text' };
  let raw: unknown;
  try {
    raw = JSON.parse(match[1]);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { kind: 'malformed', reason: 'not an object' };
  const f = raw as Record<string, unknown>;
  if (typeof f.figure !== 'string' || !f.figure) return { kind: 'malformed', reason: 'no "figure" name' };
  if (!isNumber(f.value)) return { kind: 'malformed', reason: `${f.figure}: "value" is not a finite number` };
  if (typeof f.unit !== 'string') return { kind: 'malformed', reason: `${f.figure}: no "unit"` };
  const baseline = f.baseline as { label?: unknown; value?: unknown } | undefined;
  if (baseline !== undefined && (typeof baseline !== 'object' || baseline === null || !isNumber(baseline.value)))
    return { kind: 'malformed', reason: `${f.figure}: "baseline.value" is not a finite number` };
  const target = f.target as { op?: unknown; value?: unknown } | undefined;
  if (target !== undefined && (typeof target !== 'object' || target === null || (target.op !== '>=' && target.op !== '<=') || !isNumber(target.value)))
    return { kind: 'malformed', reason: `${f.figure}: "target" must be {op: ">=" | "<=", value}` };
  const figure = withRatio({
    figure: f.figure,
    label: typeof f.label === 'string' ? f.label : f.figure,
    value: f.value,
    unit: f.unit,
    ...(baseline ? { baseline: { label: typeof baseline.label === 'string' ? baseline.label : 'baseline', value: baseline.value as number } } : {}),
    ...(target ? { target: { op: target.op as '>=' | '<=', value: target.value as number } } : {}),
    ...(f.lowerIsBetter === true ? { lowerIsBetter: true } : {}),
  });
  return { kind: 'figure', figure };
}

// ---------------------------------------------------------------------------------------------
// The table

export type BenchStatus = 'ok' | 'failed' | 'timed out' | 'skipped';

export interface BenchmarkResult {
  name: string;
  file: string;
  status: BenchStatus;
  /** Why it failed or was skipped. */
  detail?: string;
  exitCode?: number | null;
  seconds?: number;
  figures: ReportedFigure[];
  malformed: string[];
  /** Processes it left running (stopped by the harness). */
  strays: string[];
}

/** 3 significant digits at most, thousands grouped: 12,345 / 123 / 12.3 / 1.23 / 0.0123. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1 || abs === 0) return value.toFixed(2);
  return value.toPrecision(3);
}

const withUnit = (value: number, unit: string) => (unit ? `${formatNumber(value)} ${unit}` : formatNumber(value));

export function formatTarget(figure: ReportedFigure): string {
  if (!figure.target) return '';
  const op = figure.target.op === '>=' ? '≥' : '≤';
  const value = figure.target.value;
  return figure.baseline ? `ratio ${op} ${Number.isInteger(value) ? value.toFixed(1) : value}` : `${op} ${value}${figure.unit ? ` ${figure.unit}` : ''}`;
}

export function formatMet(figure: ReportedFigure): string {
  return figure.met === undefined ? '' : figure.met ? 'yes' : 'NO';
}

/** One row per figure: figure | value | baseline | ratio | target | met. */
export function figureCells(figure: ReportedFigure): string[] {
  return [
    figure.figure,
    withUnit(figure.value, figure.unit),
    figure.baseline ? `${withUnit(figure.baseline.value, figure.unit)} (${figure.baseline.label})` : '',
    figure.ratio === undefined ? '' : figure.ratio.toFixed(2),
    formatTarget(figure),
    formatMet(figure),
  ];
}

export function statusLine(result: BenchmarkResult): string {
  const took = result.seconds === undefined ? '' : ` in ${result.seconds.toFixed(1)} s`;
  const parts = [result.status === 'ok' ? `ok${took}` : `${result.status.toUpperCase()}${result.detail ? ` (${result.detail})` : ''}${took}`];
  if (result.status === 'ok' && result.figures.length === 0) parts.push('no BENCH figures reported');
  if (result.malformed.length) parts.push(`${result.malformed.length} malformed BENCH line(s)`);
  if (result.strays.length) parts.push(`left ${result.strays.length} process(es) running (stopped)`);
  return `${result.file} — ${parts.join(', ')}`;
}

const HEADER = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];

/** The closing table: a line per benchmark with its status, its figures under it. */
export function formatTable(results: BenchmarkResult[]): string {
  const rows: (string[] | string)[] = [];
  for (const result of results) {
    rows.push(statusLine(result));
    for (const figure of result.figures) rows.push(figureCells(figure).map((cell, i) => (i === 0 ? `  ${cell}` : cell)));
  }
  const cells = [HEADER, ...rows.filter((r): r is string[] => Array.isArray(r))];
  const widths = HEADER.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const right = new Set([1, 3]);
  const render = (r: string[]) =>
    r
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const lines = [render(HEADER), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) lines.push(typeof row === 'string' ? row : render(row));
  return lines.join('\n');
}

export function summaryLine(results: BenchmarkResult[]): string {
  const figures = results.flatMap((r) => r.figures);
  const targeted = figures.filter((f) => f.met !== undefined);
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'timed out');
  return (
    `${figures.length} figures from ${results.filter((r) => r.status !== 'skipped').length} benchmarks; ` +
    `targets: ${targeted.filter((f) => f.met).length} met, ${targeted.filter((f) => !f.met).length} not met; ` +
    `${failed.length} benchmark(s) failed`
  );
}

const mdCell = (text: string) => text.replace(/\|/g, '\\|');

/** The "Latest figures" section of docs/benchmarks.md, from latest.json. */
export function formatMarkdown(report: RunReport): string {
  const m = report.machine;
  const lines = [
    `Run ${report.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}${report.git ? ` at \`${report.git.commit.slice(0, 10)}\`${report.git.dirty ? ' (uncommitted changes)' : ''}` : ''}, ` +
      `${report.mode.quick ? '**`--quick`**' : 'full length'}${report.mode.only ? `, only ${report.mode.only.join(', ')}` : ''}, ${Math.round(report.durationSeconds)} s in all.`,
    `Machine: ${m.cpus.count} × ${m.cpus.model}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres ?? 'no PostgreSQL'}, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    '| figure | what | value | baseline (same run) | ratio | target | met |',
    '|---|---|--:|---|--:|---|---|',
  ];
  for (const bench of report.benchmarks) {
    const figures = report.figures.filter((f) => f.benchmark === bench.name);
    if (bench.status !== 'ok' || figures.length === 0) {
      lines.push(`| \`${bench.file}\` | ${mdCell(statusLine({ ...bench, figures }).replace(`${bench.file} — `, ''))} | | | | | |`);
    }
    for (const figure of figures) {
      const [name, value, baseline, ratio, target, met] = figureCells(figure);
      lines.push(`| \`${name}\` | ${mdCell(figure.label)} | ${value} | ${mdCell(baseline)} | ${ratio} | ${target} | ${met === 'NO' ? '**no**' : met} |`);
    }
  }
  return lines.join('\n');
}

export function replaceBetweenMarkers(text: string, body: string): string {
  const start = text.indexOf(DOCS_START);
  const end = text.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`markers ${DOCS_START} / ${DOCS_END} not found`);
  return `${text.slice(0, start + DOCS_START.length)}\n${body}\n${text.slice(end)}`;
}

// ---------------------------------------------------------------------------------------------
// Processes: every benchmark runs in its own process group, and its descendants are tracked so
// that anything it leaves behind (servers started in their own sessions, orphans) can be found
// and stopped by pid. Linux /proc; elsewhere only the process group is signalled.

interface ProcEntry {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: tells a process from a later one that reused its pid. */
  start: string;
}

function readProcs(): Map<number, ProcEntry> {
  const procs = new Map<number, ProcEntry>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return procs;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { pid: Number(name), ppid: Number(rest[1]), start: rest[19] });
    } catch {
      /* gone meanwhile */
    }
  }
  return procs;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ').slice(0, 160);
  } catch {
    return '?';
  }
}

/** Remembers every process descended from `root` (also after it is re-parented when its parent dies). */
export class ProcessTree {
  private readonly known = new Map<number, string>();
  private timer?: NodeJS.Timeout;

  constructor(readonly root: number) {}

  watch(everyMs = 300): this {
    this.snapshot();
    this.timer = setInterval(() => this.snapshot(), everyMs);
    this.timer.unref();
    return this;
  }

  unwatch(): void {
    if (this.timer) clearInterval(this.timer);
  }

  snapshot(): void {
    const procs = readProcs();
    const rootEntry = procs.get(this.root);
    if (rootEntry && !this.known.has(this.root)) this.known.set(this.root, rootEntry.start);
    let grew = true;
    while (grew) {
      grew = false;
      for (const proc of procs.values()) {
        if (this.known.has(proc.pid)) continue;
        const parent = procs.get(proc.ppid);
        if (parent && this.known.get(parent.pid) === parent.start) {
          this.known.set(proc.pid, proc.start);
          grew = true;
        }
      }
    }
  }

  /** Tracked processes (other than the root) that are still running. */
  alive(): { pid: number; command: string }[] {
    const procs = readProcs();
    return [...this.known]
      .filter(([pid, start]) => pid !== this.root && procs.get(pid)?.start === start)
      .map(([pid]) => ({ pid, command: commandLine(pid) }))
      .filter((p) => !isZombie(p.pid));
  }

  /** Signals each tracked process still running, by pid. */
  signal(sig: NodeJS.Signals): void {
    for (const { pid } of this.alive()) {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  }

  /** Waits up to `ms` for the tracked processes to exit by themselves; true when none is left. */
  async settle(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.alive().length) {
      if (Date.now() >= deadline) return false;
      await sleep(100);
    }
    return true;
  }

  /** SIGTERM whatever is left, then SIGKILL after `graceMs`; returns what was left. */
  async stopLeftovers(graceMs = 3000): Promise<{ pid: number; command: string }[]> {
    const left = this.alive();
    if (left.length === 0) return left;
    this.signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.alive().length) await sleep(100);
    this.signal('SIGKILL');
    return left;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Splits a stream into lines, calling `onLine` for each (and for a last unterminated one at the end). */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    });
    stream.on('end', () => {
      if (buffered) onLine(buffered);
      resolve();
    });
  });
}

let current: { name: string; pid: number; tree: ProcessTree } | undefined;
let interrupted = false;

async function runBenchmark(spec: BenchmarkSpec, env: NodeJS.ProcessEnv, timeoutMs: number, log: (line: string) => void): Promise<BenchmarkResult> {
  const result: BenchmarkResult = { name: spec.name, file: spec.file, status: 'ok', figures: [], malformed: [], strays: [] };
  mkdirSync(join(RESULTS_DIR, 'logs'), { recursive: true });
  const logLines: string[] = [];
  const prefix = `[${spec.name}] `;
  const started = Date.now();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, spec.file)], {
    cwd: ROOT,
    env,
    detached: true, // own process group: signals reach the benchmark and everything in its group
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tree = new ProcessTree(child.pid!).watch();
  current = { name: spec.name, pid: child.pid!, tree };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const out = lines(child.stdout, (line) => {
    logLines.push(line);
    const parsed = parseBenchLine(line);
    if (parsed.kind === 'figure') {
      result.figures.push(parsed.figure);
      const f = parsed.figure;
      log(
        `${prefix}▸ ${f.figure} = ${withUnit(f.value, f.unit)}${f.ratio !== undefined ? `, ratio ${f.ratio.toFixed(2)}` : ''}${f.met !== undefined ? `, target ${formatTarget(f)} ${f.met ? 'met' : 'NOT met'}` : ''}`,
      );
    } else {
      if (parsed.kind === 'malformed') result.malformed.push(`${parsed.reason}: ${line.slice(0, 200)}`);
      log(`${prefix}${line}`);
    }
  });
  const err = lines(child.stderr, (line) => {
    logLines.push(`stderr: ${line}`);
    process.stderr.write(`${prefix}${line}\n`);
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    log(`${prefix}still running after ${Math.round(timeoutMs / 60000)} min: stopping it`);
    void stopGroup(child.pid!, 20_000);
  }, timeoutMs);
  const outcome = await Promise.race([exited, spawnError.then((error) => ({ code: null, signal: null, error }))]);
  clearTimeout(timer);
  await Promise.race([Promise.all([out, err]), sleep(2000)]);
  result.seconds = Math.round((Date.now() - started) / 100) / 10;

  // Whatever it started and did not stop (its own process group, or servers in their own sessions).
  tree.snapshot();
  tree.unwatch();
  await tree.settle(3000); // children still shutting down after their parent exited are not strays
  const left = await tree.stopLeftovers();
  for (const p of left) log(`${prefix}left running: pid ${p.pid} ${p.command} — stopped`);
  result.strays = left.map((p) => `${p.pid} ${p.command}`);
  current = undefined;

  if ('error' in outcome) {
    result.status = 'failed';
    result.detail = (outcome as { error: Error }).error.message;
  } else if (timedOut) {
    result.status = 'timed out';
    result.exitCode = outcome.code;
  } else if (interrupted) {
    result.status = 'failed';
    result.detail = 'interrupted';
    result.exitCode = outcome.code;
  } else if (outcome.code !== 0) {
    result.status = 'failed';
    result.exitCode = outcome.code;
    result.detail = outcome.code === null ? `killed by ${outcome.signal}` : `exit ${outcome.code}`;
  }
  writeFileSync(join(RESULTS_DIR, 'logs', `${spec.name}.log`), `${logLines.join('\n')}\n`);
  return result;
}

async function stopGroup(pid: number, graceMs: number): Promise<void> {
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* gone */
    }
  };
  send('SIGINT'); // as Ctrl-C would: benchmarks clean up in their finally blocks / signal handlers
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(200);
  }
  send('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// The machine, the database, the report

export interface RunReport {
  machine: { cpus: { model: string; count: number }; memoryGiB: number; node: string; postgres: string | null; loadAverage: number[] };
  git?: { commit: string; dirty: boolean };
  startedAt: string;
  durationSeconds: number;
  mode: { quick: boolean; only: string[] | null };
  benchmarks: (Omit<BenchmarkResult, 'figures' | 'malformed' | 'strays'> & { figures: number; malformed: string[]; strays: string[] })[];
  figures: (ReportedFigure & { benchmark: string })[];
}

async function postgresVersion(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT 'PostgreSQL ' || current_setting('server_version') AS v");
    return rows[0].v;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function gitState(): RunReport['git'] {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return undefined;
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim().length > 0 };
}

const HELP = `npm run bench [-- options]

  --only a,b      run only these: ${BENCHMARKS.map((b) => b.name).join(', ')} (or file names: verifier, start-warm, ...)
  --quick         shorter runs: ${Object.entries(QUICK_ENV)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}
  --timeout MIN   stop a benchmark after MIN minutes (default 120, with --quick 15)
  --write-docs    rewrite the "Latest figures" section of docs/benchmarks.md from this run
  --docs-only     rewrite it from the existing bench/results/latest.json, run nothing

DATABASE_URL: a PostgreSQL server on which the benchmarks may create and drop databases
(default ${DEFAULT_DATABASE_URL} when it answers).
Writes bench/results/latest.json and bench/results/logs/<name>.log.`;

async function main(): Promise<number> {
  let options: Options;
  let selected: BenchmarkSpec[];
  try {
    options = parseArgs(process.argv.slice(2));
    selected = selectBenchmarks(BENCHMARKS, options.only);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (options.docsOnly) {
    const report = JSON.parse(readFileSync(join(RESULTS_DIR, 'latest.json'), 'utf8')) as RunReport;
    writeFileSync(DOCS, replaceBetweenMarkers(readFileSync(DOCS, 'utf8'), formatMarkdown(report)));
    log(`updated the "Latest figures" section of ${relative(process.cwd(), DOCS)} from the run of ${report.startedAt}`);
    return 0;
  }
  const startedAt = new Date();
  const loadAverage = loadavg();

  let databaseUrl = process.env.DATABASE_URL;
  let postgres = databaseUrl ? await postgresVersion(databaseUrl) : null;
  if (!databaseUrl && (postgres = await postgresVersion(DEFAULT_DATABASE_URL))) databaseUrl = DEFAULT_DATABASE_URL;
  if (selected.some((s) => s.needsDatabase) && (!databaseUrl || !postgres)) {
    process.stderr.write(
      `bench: ${databaseUrl ? `no PostgreSQL answers at DATABASE_URL (${redact(databaseUrl)})` : `DATABASE_URL is not set and no PostgreSQL answers at ${DEFAULT_DATABASE_URL}`}.\n` +
        '  Set DATABASE_URL to a server where a role may create and drop databases, e.g.\n' +
        '    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench\n' +
        `  or run only the benchmarks that need none: npm run bench -- --only ${BENCHMARKS.filter((b) => !b.needsDatabase)
          .map((b) => b.name)
          .join(',')}\n`,
    );
    return 2;
  }

  const env: NodeJS.ProcessEnv = { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? join(ROOT, 'tsconfig.base.json') };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  if (options.quick) for (const [key, value] of Object.entries(QUICK_ENV)) env[key] ??= value;

  const machine: RunReport['machine'] = {
    cpus: { model: cpus()[0]?.model.trim() ?? 'unknown', count: cpus().length },
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    loadAverage: loadAverage.map((l) => Math.round(l * 100) / 100),
  };
  log(`bench: ${selected.map((s) => s.name).join(', ')}${options.quick ? ' (--quick)' : ''}, one after another`);
  log(
    `machine: ${machine.cpus.count} × ${machine.cpus.model}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${postgres ?? 'no PostgreSQL'}${databaseUrl ? ` at ${new URL(databaseUrl).host}` : ''}`,
  );
  log(
    `load average at start: ${machine.loadAverage.join(' / ')}${machine.loadAverage[0] > machine.cpus.count * 0.5 ? '  (busy machine: figures will be noisy)' : ''}`,
  );

  const stop = () => {
    if (interrupted) return;
    interrupted = true;
    log(`\nbench: interrupted${current ? `, stopping ${current.name}` : ''}`);
    if (current) void stopGroup(current.pid, 20_000);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const results: BenchmarkResult[] = [];
  for (const spec of selected) {
    if (interrupted) break;
    if (!existsSync(join(ROOT, spec.file))) {
      results.push({
        name: spec.name,
        file: spec.file,
        status: 'skipped',
        detail: spec.optional ? 'file not there yet' : 'file missing',
        figures: [],
        malformed: [],
        strays: [],
      });
      log(`\n[${spec.name}] ${spec.file} is missing: skipped`);
      continue;
    }
    log(`\n[${spec.name}] ${spec.file}`);
    const result = await runBenchmark(spec, env, options.timeoutMinutes * 60_000, log);
    results.push(result);
    log(`[${spec.name}] ${statusLine(result).replace(`${spec.file} — `, '')}`);
  }

  const report: RunReport = {
    machine,
    git: gitState(),
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    mode: { quick: options.quick, only: options.only ?? null },
    benchmarks: results.map((r) => ({ ...r, figures: r.figures.length })),
    figures: results.flatMap((r) => r.figures.map((f) => ({ ...f, benchmark: r.name }))),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  log('');
  log(formatTable(results));
  log('');
  for (const r of results) for (const m of r.malformed) log(`malformed BENCH line from ${r.name}: ${m}`);
  log(summaryLine(results));
  log(`wrote ${relative(process.cwd(), join(RESULTS_DIR, 'latest.json'))} (logs in ${relative(process.cwd(), join(RESULTS_DIR, 'logs'))}/)`);
  if (options.writeDocs) {
    writeFileSync(DOCS, replaceBetweenMarkers(readFileSync(DOCS, 'utf8'), formatMarkdown(report)));
    log(`updated the "Latest figures" section of ${relative(process.cwd(), DOCS)}`);
  }
  return results.some((r) => r.status === 'failed' || r.status === 'timed out') || interrupted ? 1 : 0;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
