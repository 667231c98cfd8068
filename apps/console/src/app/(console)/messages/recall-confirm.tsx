'use client';

import { useState } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { plural } from '../../../i18n/format';

/**
 * Asks before a recall happens: for one message when the policy requires a reason (the reason is
 * asked for here), and always for several messages at once (how many, and the reason when required).
 */
export function RecallConfirm({
  id,
  count,
  batch,
  required,
  busy,
  locale,
  t,
  onCancel,
  onConfirm,
}: {
  id: string;
  count: number;
  batch: boolean;
  required: boolean;
  busy: boolean;
  locale: string;
  t: Dictionary['messages'];
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  const reasonId = `${id}-reason`;
  return (
    <form
      className="recall-reason"
      data-testid="recall-confirm"
      aria-label={batch ? plural(locale, t.confirmBatch, count) : t.confirmRecall}
      onSubmit={(event) => {
        event.preventDefault();
        if (required && !reason.trim()) return setError(true);
        onConfirm(reason.trim());
      }}
    >
      {batch ? (
        <p className="recall-reason__question">
          <strong>{plural(locale, t.confirmBatch, count)}</strong> {t.confirmBatchLead}
        </p>
      ) : null}
      <label htmlFor={reasonId} className="field__label">
        {t.recallReason}
      </label>
      <input
        id={reasonId}
        className="field__input"
        value={reason}
        maxLength={500}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={required ? `${reasonId}-required` : undefined}
        onChange={(e) => {
          setReason(e.target.value);
          setError(false);
        }}
      />
      {required ? (
        <p id={`${reasonId}-required`} className={error ? 'field__error' : 'field__hint'}>
          {t.recallReasonRequired}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--danger button--small" disabled={busy}>
          {batch ? plural(locale, t.recallCount, count) : t.confirmRecall}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
