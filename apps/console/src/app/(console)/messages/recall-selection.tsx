'use client';

import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';

/** The messages picked for a batch recall: how many, recall them (after a confirmation), or clear. */
export function RecallSelection({
  count,
  max,
  busy,
  t,
  onRecall,
  onClear,
}: {
  count: number;
  max: number;
  busy: boolean;
  t: Dictionary['messages'];
  onRecall: () => void;
  onClear: () => void;
}) {
  return (
    <div className="recall-selection" role="region" aria-label={t.selectionLabel} data-testid="recall-selection">
      <span className="recall-selection__count" aria-live="polite">
        {format(t.selected, { count })}
        {count >= max ? <span className="muted"> · {format(t.maxBatchReached, { max })}</span> : null}
      </span>
      <button type="button" className="button button--danger button--small" onClick={onRecall} disabled={busy}>
        {format(t.recallSelected, { count })}
      </button>
      <button type="button" className="button button--quiet button--small" onClick={onClear}>
        {t.clearSelection}
      </button>
    </div>
  );
}
