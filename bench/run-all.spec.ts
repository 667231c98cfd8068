import {
  BENCHMARKS,
  formatMarkdown,
  formatNumber,
  formatTable,
  parseArgs,
  parseBenchLine,
  replaceBetweenMarkers,
  selectBenchmarks,
  summaryLine,
  type BenchmarkResult,
  type RunReport,
} from './run-all';
import { withRatio, type BenchFigure } from './report';

const recall: BenchFigure = {
  figure: 'recall.http-vs-pgbench.8-tenants',
  label: 'HTTP recalls/s ÷ pgbench, 16 clients, 8 tenants',
  value: 1840,
  unit: 'recalls/s',
  baseline: { label: 'pgbench', value: 2000 },
  target: { op: '>=', value: 1.0 },
};
const start: BenchFigure = { figure: 'start.warm', label: 'npm start, warm', value: 9.4, unit: 's', target: { op: '<=', value: 15 }, lowerIsBetter: true };

describe('parseBenchLine', () => {
  it('reads a reported figure and recomputes ratio and met', () => {
    const parsed = parseBenchLine(`BENCH ${JSON.stringify({ ...recall, ratio: 99, met: true })}`);
    expect(parsed).toEqual({ kind: 'figure', figure: { ...recall, ratio: 0.92, met: false } });
  });

  it('inverts the ratio when lower is better', () => {
    const parsed = parseBenchLine(
      `BENCH ${JSON.stringify({ figure: 'p99', label: 'p99', value: 20, unit: 'ms', baseline: { label: 'pgbench p99', value: 5 }, lowerIsBetter: true })}`,
    );
    expect(parsed.kind === 'figure' && parsed.figure.ratio).toBe(0.25);
  });

  it('holds the value against the target when there is no baseline', () => {
    const parsed = parseBenchLine(`BENCH ${JSON.stringify(start)}\r`);
    expect(parsed.kind === 'figure' && parsed.figure.met).toBe(true);
    expect(parsed.kind === 'figure' && 'ratio' in parsed.figure).toBe(false);
  });

  it('leaves ordinary output alone', () => {
    expect(parseBenchLine('recall benchmark: 8 concurrent clients')).toEqual({ kind: 'text' });
    expect(parseBenchLine('  BENCH {"figure":"x"}')).toEqual({ kind: 'text' });
    expect(parseBenchLine('BENCHMARK done')).toEqual({ kind: 'text' });
  });

  it.each([
    ['BENCH {not json', 'not JSON'],
    ['BENCH [1,2]', 'not an object'],
    ['BENCH {"value":1,"unit":"s"}', 'no "figure" name'],
    ['BENCH {"figure":"a","value":null,"unit":"s"}', 'a: "value" is not a finite number'],
    ['BENCH {"figure":"a","value":"12","unit":"s"}', 'a: "value" is not a finite number'],
    ['BENCH {"figure":"a","value":1}', 'a: no "unit"'],
    ['BENCH {"figure":"a","value":1,"unit":"s","baseline":{"label":"b"}}', 'a: "baseline.value" is not a finite number'],
    ['BENCH {"figure":"a","value":1,"unit":"s","target":{"op":">","value":1}}', 'a: "target" must be {op: ">=" | "<=", value}'],
  ])('reports %s as malformed', (line, reason) => {
    expect(parseBenchLine(line)).toEqual({ kind: 'malformed', reason });
  });
});

describe('formatNumber', () => {
  it.each([
    [12345.6, '12,346'],
    [123.4, '123'],
    [12.34, '12.3'],
    [1.234, '1.23'],
    [0, '0.00'],
    [0.01234, '0.0123'],
  ])('%p → %s', (value, text) => expect(formatNumber(value)).toBe(text));
});

const result = (over: Partial<BenchmarkResult>): BenchmarkResult => ({
  name: 'x',
  file: 'bench/x.ts',
  status: 'ok',
  seconds: 1,
  figures: [],
  malformed: [],
  strays: [],
  ...over,
});

describe('formatTable', () => {
  const results = [
    result({ name: 'recall', file: 'bench/recall.bench.ts', seconds: 41.23, figures: [withRatio(recall)] }),
    result({ name: 'audit', file: 'bench/audit-append.bench.ts', seconds: 20 }),
    result({ name: 'start', file: 'bench/start-warm.bench.ts', status: 'failed', detail: 'exit 1', exitCode: 1, seconds: 3, figures: [withRatio(start)] }),
    result({ name: 'browse', file: 'bench/audit-browse.bench.ts', status: 'skipped', detail: 'file not there yet', seconds: undefined }),
  ];

  it('prints one aligned table: a status line per benchmark, its figures under it', () => {
    expect(formatTable(results)).toBe(
      [
        'figure                                        value  baseline                   ratio  target       met',
        '----------------------------------  ---------------  -------------------------  -----  -----------  ---',
        'bench/recall.bench.ts — ok in 41.2 s',
        '  recall.http-vs-pgbench.8-tenants  1,840 recalls/s  2,000 recalls/s (pgbench)   0.92  ratio ≥ 1.0  NO',
        'bench/audit-append.bench.ts — ok in 20.0 s, no BENCH figures reported',
        'bench/start-warm.bench.ts — FAILED (exit 1) in 3.0 s',
        '  start.warm                                 9.40 s                                    ≤ 15 s       yes',
        'bench/audit-browse.bench.ts — SKIPPED (file not there yet)',
      ].join('\n'),
    );
  });

  it('sums up figures, targets and failures', () => {
    expect(summaryLine(results)).toBe('2 figures from 3 benchmarks; targets: 1 met, 1 not met; 1 benchmark(s) failed');
  });
});

describe('the docs section', () => {
  const report: RunReport = {
    machine: { cpus: { model: 'Test CPU', count: 2 }, memoryGiB: 23.5, node: 'v20.19.0', postgres: 'PostgreSQL 15.20', loadAverage: [0.5, 0.25, 0.1] },
    git: { commit: '0123456789abcdef', dirty: false },
    startedAt: '2026-12-03T10:00:00.000Z',
    durationSeconds: 123.4,
    mode: { quick: true, only: null },
    benchmarks: [
      { name: 'recall', file: 'bench/recall.bench.ts', status: 'ok', seconds: 41, figures: 1, malformed: [], strays: [] },
      { name: 'audit', file: 'bench/audit-append.bench.ts', status: 'failed', detail: 'exit 1', seconds: 2, figures: 0, malformed: [], strays: [] },
    ],
    figures: [{ ...withRatio(recall), benchmark: 'recall' }],
  };

  it('renders a markdown table from latest.json', () => {
    const md = formatMarkdown(report);
    expect(md).toContain('Run 2026-12-03 10:00:00 UTC at `0123456789`, **`--quick`**, 123 s in all.');
    expect(md).toContain('Machine: 2 × Test CPU, 23.5 GiB, Node v20.19.0, PostgreSQL 15.20, load average at start 0.50 / 0.25 / 0.10.');
    expect(md).toContain(
      '| `recall.http-vs-pgbench.8-tenants` | HTTP recalls/s ÷ pgbench, 16 clients, 8 tenants | 1,840 recalls/s | 2,000 recalls/s (pgbench) | 0.92 | ratio ≥ 1.0 | **no** |',
    );
    expect(md).toContain('| `bench/audit-append.bench.ts` | FAILED (exit 1) in 2.0 s | | | | | |');
  });

  it('replaces only what is between the markers', () => {
    const doc = 'intro\n<!-- bench:latest:start -->\nold\n<!-- bench:latest:end -->\noutro\n';
    expect(replaceBetweenMarkers(doc, 'new')).toBe('intro\n<!-- bench:latest:start -->\nnew\n<!-- bench:latest:end -->\noutro\n');
    expect(() => replaceBetweenMarkers('no markers', 'new')).toThrow(/markers/);
  });
});

describe('options', () => {
  it('parses --only, --quick and --write-docs', () => {
    expect(parseArgs(['--only', 'recall,verify', '--quick', '--write-docs'])).toEqual({
      only: ['recall', 'verify'],
      quick: true,
      writeDocs: true,
      docsOnly: false,
      timeoutMinutes: 15,
      help: false,
    });
    expect(parseArgs(['--only=start', '--timeout', '30'])).toMatchObject({ only: ['start'], quick: false, timeoutMinutes: 30 });
    expect(parseArgs(['--docs-only'])).toMatchObject({ docsOnly: true, writeDocs: true });
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });

  it('selects benchmarks by short name or file name, in the harness order', () => {
    expect(selectBenchmarks(BENCHMARKS, ['verify', 'recall']).map((b) => b.name)).toEqual(['recall', 'verify']);
    expect(selectBenchmarks(BENCHMARKS, ['start-warm', 'console-route-sizes', 'audit-append']).map((b) => b.name)).toEqual(['audit', 'start', 'console']);
    expect(() => selectBenchmarks(BENCHMARKS, ['nope'])).toThrow(/unknown benchmark nope/);
  });
});
