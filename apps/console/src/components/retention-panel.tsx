'use client';

import type { RetentionView } from '@retract/contracts';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Dictionary } from '../i18n/en';
import { formatUtc } from '../i18n/dates';
import { format } from '../i18n/format';
import { callApi } from '../lib/client-api';
import type { ProblemDetails } from '../lib/problem';
import { ProblemAlert } from './problem-alert';

type T = Dictionary['policy'];

/**
 * Audit retention (docs/architecture.md, "Who can do what"): the days in force and a shortening
 * waiting out its delay, for everyone who may see the policy; changing and cancelling for
 * compliance officers (`canChange`).
 */
export function RetentionPanel({ retention, canChange, locale, t }: { retention: RetentionView; canChange: boolean; locale: string; t: T }) {
  const router = useRouter();
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const { pending } = retention;

  async function send(path: string, method: 'PUT' | 'DELETE', body?: unknown) {
    setBusy(true);
    setProblem(null);
    const res = await callApi<RetentionView>(path, { method, body });
    setBusy(false);
    if (!res.ok) setProblem(res.problem);
    else router.refresh();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const days = Number(new FormData(event.currentTarget).get('retentionDays'));
    void send('/api/v1/policy/retention', 'PUT', { days });
  }

  return (
    <section className="card stack stack--tight" aria-labelledby="retention-title" data-testid="retention-panel">
      <h2 id="retention-title">{t.retentionTitle}</h2>
      <p>{format(t.retentionLead, { delay: retention.shorteningDelayDays, floor: retention.floorDays })}</p>
      <p data-testid="retention-in-force">{format(t.retentionInForce, { days: retention.days, years: (retention.days / 365).toFixed(1) })}</p>
      {pending ? (
        <div className="notice notice--warning" role="status" data-testid="retention-pending">
          <p>
            {format(t.retentionPending, {
              toDays: pending.toDays,
              fromDays: pending.fromDays,
              proposedAt: formatUtc(locale, pending.proposedAt),
              effectiveAt: formatUtc(locale, pending.effectiveAt),
            })}
          </p>
          {canChange ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              aria-busy={busy}
              onClick={() => void send(`/api/v1/policy/retention/changes/${pending.id}`, 'DELETE')}
            >
              {t.retentionCancel}
            </button>
          ) : null}
        </div>
      ) : (
        <p className="muted">{t.retentionNone}</p>
      )}
      {canChange ? (
        <form className="inline-form" onSubmit={onSubmit} noValidate>
          <label htmlFor="retentionDays">{t.retentionNewDays}</label>
          <input id="retentionDays" name="retentionDays" type="number" min={retention.floorDays} max={3650} defaultValue={retention.days} required />
          <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
            {t.retentionSubmit}
          </button>
        </form>
      ) : (
        <p className="muted">{t.retentionOwned}</p>
      )}
      <ProblemAlert problem={problem} testId="retention-problem" />
    </section>
  );
}
