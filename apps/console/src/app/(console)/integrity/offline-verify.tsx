'use client';

import Link from 'next/link';
import { useState, useSyncExternalStore } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { saveFile } from '../../../lib/download';
import { exportFileName, lastJsonlExport, rememberJsonlExport } from '../../../lib/export-file';
import { readProblem, unreachableProblem, type ProblemDetails } from '../../../lib/problem';
import { TitledCard } from '../../../components/titled-card';

/** What the API names a JSON Lines export, shown until this tab has saved one. */
const FILE_PATTERN = 'audit-<time>-<first>-<last>.jsonl';
/** Where browsers save by default; the hint says to change it otherwise. The verifier runs in the repository root (docs/audit-log.md). */
const SAVED_IN = '~/Downloads/';

/** Session storage does not notify its own tab; the name is re-read on every render instead. */
const noSubscription = () => () => undefined;

/**
 * "Verify offline": the verifier's command names the file this tab last saved (here or on the
 * Exports page), as the browser saved it, so that it can be copied and run as it is.
 */
export function OfflineVerify({ vkey, t, table }: { vkey: string | undefined; t: Dictionary['integrity']; table: Dictionary['table'] }) {
  // Session storage is not read on the server: its render shows the file name's pattern.
  const saved = useSyncExternalStore(noSubscription, lastJsonlExport, () => null);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const file = downloaded ?? saved;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch('/api/v1/audit/export?format=jsonl', { cache: 'no-store' });
      if (!res.ok) return setProblem(await readProblem(res));
      const name = exportFileName(res, 'jsonl');
      saveFile(name, await res.blob());
      rememberJsonlExport(name);
      setDownloaded(name);
    } catch (error) {
      setProblem(unreachableProblem(String(error)));
    } finally {
      setBusy(false);
    }
  }

  const command = `npm run verify -- ${file ? SAVED_IN + file : FILE_PATTERN} --trusted-key '${vkey ?? '<vkey>'}'`;
  return (
    <TitledCard id="offline-title" title={t.offlineTitle} lead={t.offlineLead}>
      <div className="command" data-testid="offline-command">
        <pre>{command}</pre>
        <CopyButton text={command} label={table.copy} copiedLabel={table.copied} />
      </div>
      <p className="field__hint">{file ? t.offlineFileSaved : t.offlineFilePattern}</p>
      <ProblemAlert problem={problem} />
      <p className="form-actions card__footer">
        <button type="button" className="button button--quiet" onClick={() => void download()} disabled={busy} aria-busy={busy}>
          {t.exportLink}
        </button>
        <Link className="link" href="/exports">
          {t.exportsPage}
        </Link>
      </p>
    </TitledCard>
  );
}
