'use client';

import type { PolicyOverride, PolicySettings, SimulationResult } from '@retract/contracts';
import { useState } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['policy'];

/** Runs the draft over the recall attempts of the last N days (POST /policy/simulate) and says what would change. */
export function SimulationSection({
  settings,
  overrides,
  invalid,
  t,
  locale,
}: {
  settings: PolicySettings;
  overrides: PolicyOverride[];
  invalid: boolean;
  t: T;
  locale: string;
}) {
  const [days, setDays] = useState(30);
  const [result, setResult] = useState<{ data: SimulationResult; draft: string } | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [running, setRunning] = useState(false);
  const draft = JSON.stringify({ settings, overrides, days });
  const nf = new Intl.NumberFormat(locale);

  async function run() {
    setRunning(true);
    setProblem(null);
    const res = await callApi<SimulationResult>('/api/v1/policy/simulate', { method: 'POST', body: { settings, overrides, days } });
    setRunning(false);
    if (!res.ok) return setProblem(res.problem);
    setResult({ data: res.data, draft });
  }

  const byCode = (counts: Partial<Record<string, number>>) => {
    const entries = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0);
    if (entries.length === 0) return <span className="muted">{t.noneChange}</span>;
    return (
      <ul className="codes">
        {entries.map(([code, n]) => (
          <li key={code}>
            <code>{code}</code> <strong>{nf.format(n ?? 0)}</strong>
          </li>
        ))}
      </ul>
    );
  };

  return (
    <TitledCard id="simulation-title" title={t.previewTitle} lead={t.previewLead} testId="policy-simulation">
      <div className="form-actions">
        <label htmlFor="simulate-days" className="field__label">
          {t.days}
        </label>
        <input
          id="simulate-days"
          type="number"
          min={1}
          max={90}
          className="field__input field__input--narrow"
          value={days}
          onChange={(ev) => setDays(Math.max(1, Math.min(90, Math.round(Number(ev.target.value) || 30))))}
        />
        <button type="button" className="button button--quiet" onClick={() => void run()} disabled={running || invalid} aria-busy={running}>
          {running ? t.previewing : t.preview}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {result ? (
        <div className="simulation" aria-live="polite" data-testid="simulation-result">
          {result.draft !== draft ? <p className="notice notice--warning">{t.previewStale}</p> : null}
          <p>{format(t.previewResult, { attempts: nf.format(result.data.attempts), days: result.data.days, unchanged: nf.format(result.data.unchanged) })}</p>
          <div className="grid-2">
            <div className="stat stat--danger">
              <p className="stat__label">{t.newlyDenied}</p>
              <p className="stat__value">{nf.format(result.data.newlyDenied.total)}</p>
              {byCode(result.data.newlyDenied.byCode)}
            </div>
            <div className="stat stat--ok">
              <p className="stat__label">{t.newlyAllowed}</p>
              <p className="stat__value">{nf.format(result.data.newlyAllowed.total)}</p>
              {byCode(result.data.newlyAllowed.byCode)}
            </div>
          </div>
        </div>
      ) : null}
    </TitledCard>
  );
}
