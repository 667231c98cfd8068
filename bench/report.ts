/**
 * The one way a benchmark reports a figure to `npm run bench` (bench/run-all.ts): a line
 * `BENCH {json}` on standard output, beside the benchmark's own human-readable lines.
 *
 * A figure is a measured value, optionally next to a baseline measured in the same run (then
 * `ratio` = value / baseline, or baseline / value when lower is better) and a target the ratio or
 * the value is held against (docs/benchmarks.md).
 */
export interface BenchFigure {
  /** Stable name, e.g. "recall.http.8-tenants". */
  figure: string;
  /** What it is, in words, for the table. */
  label: string;
  value: number;
  unit: string;
  /** Baseline measured in the same run (e.g. pgbench tx/s, raw SHA-256 leaves/s). */
  baseline?: { label: string; value: number };
  /** Target: on the ratio when a baseline is given, otherwise on the value. */
  target?: { op: '>=' | '<='; value: number };
  /** For latencies and sizes: lower is better (ratio = baseline / value). */
  lowerIsBetter?: boolean;
}

export interface ReportedFigure extends BenchFigure {
  ratio?: number;
  met?: boolean;
}

export function withRatio(figure: BenchFigure): ReportedFigure {
  const ratio = figure.baseline ? (figure.lowerIsBetter ? figure.baseline.value / figure.value : figure.value / figure.baseline.value) : undefined;
  const held = ratio ?? figure.value;
  const met = figure.target ? (figure.target.op === '>=' ? held >= figure.target.value : held <= figure.target.value) : undefined;
  return { ...figure, ...(ratio !== undefined ? { ratio } : {}), ...(met !== undefined ? { met } : {}) };
}

export function reportFigure(figure: BenchFigure): void {
  process.stdout.write(`BENCH ${JSON.stringify(withRatio(figure))}\n`);
}
