'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DayInput } from '../../../components/day-input';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { formatNumber, utcDayBound } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { withQuery } from '../../../lib/client-api';
import { saveFile } from '../../../lib/download';
import { exportFileName, rememberJsonlExport } from '../../../lib/export-file';
import { formatBytes } from '../../../lib/labels';
import { readProblem, unreachableProblem, type ProblemDetails } from '../../../lib/problem';
import { fieldText } from '../../../lib/form-fields';
import { CompactField } from '../../../components/field';

type T = Dictionary['exports'];
type Mode = 'all' | 'date' | 'seq';
type State =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number | null; bytes: number }
  | { state: 'done'; file: string; entries: number; bytes: number }
  | { state: 'stopped' }
  | { state: 'error'; problem: ProblemDetails };

/**
 * Streams the export from the API, counting lines as they arrive to show progress against the
 * range the service announces (X-Audit-Range), then saves the file. The export is recorded in
 * the audit log by the service before the first byte is sent.
 */
export function ExportForm({ locale, logSize, dayFormat, t }: { locale: string; logSize: number; dayFormat: string; t: T }) {
  const router = useRouter();
  const [format_, setFormat] = useState<'jsonl' | 'csv'>('jsonl');
  const [mode, setMode] = useState<Mode>('all');
  const [run, setRun] = useState<State>({ state: 'idle' });
  const [invalid, setInvalid] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function start(query: Record<string, string | number | undefined>) {
    const controller = new AbortController();
    abort.current = controller;
    setRun({ state: 'running', done: 0, total: null, bytes: 0 });
    let res: Response;
    try {
      res = await fetch(withQuery('/api/v1/audit/export', { format: format_, ...query }), { signal: controller.signal, cache: 'no-store' });
    } catch (error) {
      setRun((error as Error).name === 'AbortError' ? { state: 'stopped' } : { state: 'error', problem: unreachableProblem(String(error)) });
      return;
    }
    if (!res.ok || !res.body) {
      setRun({ state: 'error', problem: await readProblem(res) });
      return;
    }
    const range = /^(\d+)-(-?\d+)$/.exec(res.headers.get('x-audit-range') ?? '');
    const total = range ? Math.max(0, Number(range[2]) - Number(range[1]) + 1) : null;
    const file = exportFileName(res, format_);
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    let lines = 0;
    const reader = res.body.getReader();
    let lastPaint = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        const now = performance.now();
        if (now - lastPaint > 100) {
          lastPaint = now;
          // JSONL: a header line (and checkpoint lines) before the entries; CSV: one header row.
          const entries = Math.max(0, lines - 1);
          setRun({ state: 'running', done: total === null ? entries : Math.min(entries, total), total, bytes });
        }
      }
    } catch {
      setRun({ state: 'stopped' });
      return;
    }
    saveFile(file, chunks as BlobPart[], format_ === 'csv' ? 'text/csv' : 'application/x-ndjson');
    if (format_ === 'jsonl') rememberJsonlExport(file);
    setRun({ state: 'done', file, entries: total ?? Math.max(0, lines - 1), bytes });
    // The service recorded the export (EXPORT_CREATED) before its first byte: the recent list shows it now.
    router.refresh();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const get = (name: string) => fieldText(data, name).trim();
    setInvalid(false);
    if (mode === 'all') return void start({});
    if (mode === 'date') {
      const from = utcDayBound(get('from') || undefined, false);
      const to = utcDayBound(get('to') || undefined, true);
      if (from && to && from > to) return setInvalid(true);
      return void start({ from, to });
    }
    const fromSeq = get('fromSeq') === '' ? undefined : Number(get('fromSeq'));
    const toSeq = get('toSeq') === '' ? undefined : Number(get('toSeq'));
    if ((fromSeq !== undefined && toSeq !== undefined && fromSeq > toSeq) || [fromSeq, toSeq].some((n) => n !== undefined && (!Number.isInteger(n) || n < 0))) {
      return setInvalid(true);
    }
    void start({ fromSeq, toSeq });
  }

  const running = run.state === 'running';
  return (
    <section className="card" aria-labelledby="export-title" data-testid="export-form">
      <h2 id="export-title" className="visually-hidden">
        {t.title}
      </h2>
      <form className="stack" onSubmit={onSubmit} noValidate>
        <fieldset className="fieldset" disabled={running}>
          <legend>{t.format}</legend>
          <label className="choice">
            <input type="radio" name="format" value="jsonl" checked={format_ === 'jsonl'} onChange={() => setFormat('jsonl')} />
            <span>
              <strong>{t.jsonl}</strong>
              <span className="field__hint">{t.jsonlHint}</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="format" value="csv" checked={format_ === 'csv'} onChange={() => setFormat('csv')} />
            <span>
              <strong>{t.csv}</strong>
              <span className="field__hint">{t.csvHint}</span>
            </span>
          </label>
        </fieldset>

        <fieldset className="fieldset" disabled={running}>
          <legend>{t.range}</legend>
          <div className="checks" role="radiogroup">
            {(['all', 'date', 'seq'] as const).map((m) => (
              <label key={m} className="check">
                <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                {m === 'all' ? t.all : m === 'date' ? t.byDate : t.bySeq}
              </label>
            ))}
          </div>
          {mode === 'date' ? (
            <div className="form-grid">
              <CompactField id="export-from" label={t.from}>
                <DayInput id="export-from" name="from" invalid={invalid} formatMessage={dayFormat} />
              </CompactField>
              <CompactField id="export-to" label={t.to}>
                <DayInput id="export-to" name="to" invalid={invalid} formatMessage={dayFormat} />
              </CompactField>
            </div>
          ) : null}
          {mode === 'seq' ? (
            <div className="form-grid">
              <CompactField id="export-from-seq" label={t.fromSeq}>
                <input
                  id="export-from-seq"
                  name="fromSeq"
                  type="number"
                  min={0}
                  max={Math.max(0, logSize - 1)}
                  defaultValue={0}
                  className="field__input"
                  aria-invalid={invalid}
                />
              </CompactField>
              <CompactField id="export-to-seq" label={t.toSeq}>
                <input
                  id="export-to-seq"
                  name="toSeq"
                  type="number"
                  min={0}
                  max={Math.max(0, logSize - 1)}
                  defaultValue={Math.max(0, logSize - 1)}
                  className="field__input"
                  aria-invalid={invalid}
                />
              </CompactField>
            </div>
          ) : null}
          {invalid ? (
            <p className="field__error" role="alert">
              {t.invalidRange}
            </p>
          ) : null}
        </fieldset>

        <div className="form-actions">
          {running ? (
            <button type="button" className="button button--quiet" onClick={() => abort.current?.abort()}>
              {t.cancel}
            </button>
          ) : (
            <button type="submit" className="button button--primary" data-testid="export-start">
              {t.start}
            </button>
          )}
          <Link href="/integrity" className="link">
            {t.verifyHint}
          </Link>
        </div>
      </form>

      <div aria-live="polite" data-testid="export-status" className="export-status">
        {run.state === 'running' ? (
          <div className="progress">
            {run.total === null || (run.done === 0 && run.bytes === 0) ? (
              <progress aria-label={t.preparing} />
            ) : (
              <progress max={Math.max(1, run.total)} value={run.done} aria-label={t.title} />
            )}
            <p className="progress__label">
              <span>
                {run.bytes === 0
                  ? t.preparing
                  : run.total !== null
                    ? format(t.progress, { done: formatNumber(locale, run.done), total: formatNumber(locale, run.total) })
                    : ''}
              </span>
              <span>{format(t.received, { size: formatBytes(locale, run.bytes) })}</span>
            </p>
          </div>
        ) : null}
        {run.state === 'done' ? (
          <p className="notice notice--success" data-state="done">
            {run.entries === 0 ? t.empty : format(t.done, { file: run.file, entries: formatNumber(locale, run.entries), size: formatBytes(locale, run.bytes) })}
          </p>
        ) : null}
        {run.state === 'stopped' ? <p className="notice notice--warning">{t.stopped}</p> : null}
        {run.state === 'error' ? <ProblemAlert problem={run.problem} /> : null}
      </div>
    </section>
  );
}
