'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { withQuery } from '../../../lib/client-api';
import { saveFile } from '../../../lib/download';
import { formatBytes } from '../../../lib/labels';
import { readProblem, unreachableProblem, type ProblemDetails } from '../../../lib/problem';
import { TitledCard } from '../../../components/titled-card';

export interface CaseQuery {
  personId?: string;
  conversationId?: string;
  from?: string;
  to?: string;
}

type Run =
  | { state: 'idle' }
  | { state: 'preparing' }
  | { state: 'downloading'; received: number; total: number | null }
  | { state: 'done'; file: string; entries: number }
  | { state: 'stopped' }
  | { state: 'failed'; problem: ProblemDetails };

/**
 * The case bundle in one click (`GET /api/v1/cases/export`, docs/audit-log.md "Cases"): the API
 * records the export, signs a checkpoint and proves every entry before it answers, then the
 * download shows its progress against the announced length and the file is saved as the API names it.
 */
export function CaseExport({ locale, query, t }: { locale: string; query: CaseQuery; t: Dictionary['cases'] }) {
  const router = useRouter();
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function start() {
    const controller = new AbortController();
    abort.current = controller;
    setRun({ state: 'preparing' });
    try {
      const res = await fetch(withQuery('/api/v1/cases/export', { ...query }), { signal: controller.signal, cache: 'no-store' });
      if (!res.ok || !res.body) return setRun({ state: 'failed', problem: await readProblem(res) });
      const total = Number(res.headers.get('content-length')) || null;
      const file = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'case.tar';
      const entries = Number(res.headers.get('x-case-entries') ?? 0);
      const chunks: Uint8Array[] = [];
      let received = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        setRun({ state: 'downloading', received, total });
      }
      saveFile(file, chunks as BlobPart[], 'application/x-tar');
      setRun({ state: 'done', file, entries });
      // The export recorded itself in the case (EXPORT_CREATED about its person or conversation): the timeline shows it now.
      router.refresh();
    } catch (error) {
      setRun((error as Error).name === 'AbortError' ? { state: 'stopped' } : { state: 'failed', problem: unreachableProblem(String(error)) });
    }
  }

  const busy = run.state === 'preparing' || run.state === 'downloading';
  return (
    <TitledCard id="case-export-title" title={t.exportTitle} lead={t.exportLead} testId="case-export">
      <div className="form-actions">
        <button type="button" className="button button--primary" onClick={() => void start()} disabled={busy} aria-busy={busy}>
          {t.export}
        </button>
        {busy ? (
          <button type="button" className="button button--quiet" onClick={() => abort.current?.abort()}>
            {t.stop}
          </button>
        ) : null}
      </div>
      <div role="status" aria-live="polite" data-testid="case-export-status" data-state={run.state}>
        {run.state === 'preparing' ? <p className="muted">{t.preparing}</p> : null}
        {run.state === 'downloading' ? (
          <>
            <progress className="case-export__progress" max={run.total ?? undefined} value={run.total ? run.received : undefined} />
            <p className="muted">
              {format(t.downloading, { received: formatBytes(locale, run.received), total: run.total ? formatBytes(locale, run.total) : '…' })}
            </p>
          </>
        ) : null}
        {run.state === 'done' ? (
          <>
            <p className="notice notice--success">{format(t.exported, { file: run.file, entries: run.entries })}</p>
            <p className="muted">{format(t.verifyHint, { file: run.file })}</p>
          </>
        ) : null}
        {run.state === 'stopped' ? <p className="notice notice--info">{t.stopped}</p> : null}
      </div>
      {run.state === 'failed' ? <ProblemAlert problem={run.problem} /> : null}
    </TitledCard>
  );
}
