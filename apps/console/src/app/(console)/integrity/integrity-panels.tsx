'use client';

import type { CheckpointView } from '@retract/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { formatNumber, formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import { saveFile } from '../../../lib/download';
import type { ProblemDetails } from '../../../lib/problem';
import { partsOf } from './verify-parts';
import { TitledCard } from '../../../components/titled-card';
import { CompactField } from '../../../components/field';

type T = Dictionary['integrity'];
interface Keys {
  origin: string;
  keys: { name: string; vkey: string; publicKey: string; createdAt: string }[];
}

type SignatureState = { state: 'checking' } | { state: 'ok' } | { state: 'bad'; message: string };

/** The latest signed tree head, its signature checked here in the browser, and "sign now". */
export function CheckpointCard({
  locale,
  checkpoint,
  keys,
  logSize,
  t,
}: {
  locale: string;
  checkpoint: CheckpointView | null;
  keys: Keys | null;
  logSize: number | null;
  t: T;
}) {
  const router = useRouter();
  // The outcome names the head and keys it was computed for: a newer head shows as 'checking' until its own check ends.
  const [checked, setChecked] = useState<{ checkpoint: CheckpointView; keys: Keys; signature: SignatureState } | null>(null);
  const signature: SignatureState = checked && checked.checkpoint === checkpoint && checked.keys === keys ? checked.signature : { state: 'checking' };
  const [signing, setSigning] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [signedSize, setSignedSize] = useState<number | null>(null);

  useEffect(() => {
    if (!checkpoint || !keys) return;
    let live = true;
    void import('@retract/audit-log/browser').then(({ verifyCheckpoint }) => {
      if (!live) return;
      const result = verifyCheckpoint(
        checkpoint.note,
        keys.keys.map((k) => k.vkey),
        { origin: keys.origin },
      );
      const sameHead = result.ok && result.checkpoint.size === checkpoint.treeSize;
      const signature: SignatureState =
        result.ok && sameHead ? { state: 'ok' } : { state: 'bad', message: result.ok ? 'size differs from the note' : result.message };
      setChecked({ checkpoint, keys, signature });
    });
    return () => {
      live = false;
    };
  }, [checkpoint, keys]);

  async function signNow() {
    setSigning(true);
    setProblem(null);
    const res = await callApi<CheckpointView>('/api/v1/audit/checkpoints', { method: 'POST' });
    setSigning(false);
    if (!res.ok) {
      setProblem(res.problem);
      return;
    }
    setSignedSize(res.data.treeSize);
    router.refresh();
  }

  const uncovered = checkpoint && logSize !== null ? logSize - checkpoint.treeSize : (logSize ?? 0);
  return (
    <section className="card" aria-labelledby="checkpoint-title" data-testid="checkpoint-card">
      <div className="card__head">
        <h2 id="checkpoint-title" className="card__title">
          {t.checkpointTitle}
        </h2>
        <button type="button" className="button button--quiet" onClick={signNow} disabled={signing} aria-busy={signing}>
          {signing ? t.signing : t.signNow}
        </button>
      </div>
      <ProblemAlert problem={problem} />
      {signedSize !== null ? (
        <p className="notice notice--success" role="status">
          {format(t.signed, { size: formatNumber(locale, signedSize) })}
        </p>
      ) : null}
      {!checkpoint ? (
        <p className="muted">{t.noCheckpoint}</p>
      ) : (
        <>
          <p
            className={`verify ${signature.state === 'ok' ? 'verify--ok' : signature.state === 'bad' ? 'verify--failed' : 'verify--pending'}`}
            role="status"
            data-testid="checkpoint-signature"
            data-state={signature.state}
          >
            {signature.state === 'checking'
              ? t.signatureChecking
              : signature.state === 'ok'
                ? `✓ ${t.signatureOk}`
                : format(t.signatureBad, { message: signature.message })}
          </p>
          <dl className="facts">
            <div className="facts__row">
              <dt>{t.treeSize}</dt>
              <dd data-testid="checkpoint-size">{formatNumber(locale, checkpoint.treeSize)}</dd>
            </div>
            {logSize !== null ? (
              <div className="facts__row">
                <dt>{t.logSize}</dt>
                <dd>
                  {formatNumber(locale, logSize)}
                  {uncovered > 0 ? <span className="muted"> · {format(t.uncovered, { count: formatNumber(locale, uncovered) })}</span> : null}
                </dd>
              </div>
            ) : null}
            <div className="facts__row">
              <dt>{t.rootHash}</dt>
              <dd>
                <code className="hash">{checkpoint.rootHash}</code>
              </dd>
            </div>
            <div className="facts__row">
              <dt>{t.signedAt}</dt>
              <dd>{formatUtc(locale, checkpoint.createdAt)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t.origin}</dt>
              <dd>
                <code>{checkpoint.origin}</code>
              </dd>
            </div>
          </dl>
          <details>
            <summary>{t.showNote}</summary>
            <pre className="note-text">{checkpoint.note}</pre>
          </details>
        </>
      )}
    </section>
  );
}

interface VerifyResult {
  ok: boolean;
  checked: number;
  treeSize: number;
  firstBadSeq?: number;
  problems: { seq?: number; code: string; message: string }[];
}

type Run =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number; part: number; parts: number }
  | { state: 'ok'; checked: number; from: number; to: number }
  | { state: 'failed'; firstBadSeq?: number; problems: VerifyResult['problems'] }
  | { state: 'stopped'; checked: number }
  | { state: 'error'; problem: ProblemDetails };

export function VerifyRange({ locale, logSize, t }: { locale: string; logSize: number; t: T }) {
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const [invalid, setInvalid] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const max = Math.max(0, logSize - 1);

  useEffect(() => () => abort.current?.abort(), []);

  async function verify(from: number, to: number) {
    const controller = new AbortController();
    abort.current = controller;
    const parts = partsOf(from, to);
    const total = to - from + 1;
    let checked = 0;
    setRun({ state: 'running', done: 0, total, part: 1, parts: parts.length });
    for (const [index, [fromSeq, toSeq]] of parts.entries()) {
      setRun({ state: 'running', done: checked, total, part: index + 1, parts: parts.length });
      let res;
      try {
        res = await callApi<VerifyResult>('/api/v1/audit/verify', { method: 'POST', body: { fromSeq, toSeq }, signal: controller.signal });
      } catch {
        setRun({ state: 'stopped', checked });
        return;
      }
      if (!res.ok) {
        setRun({ state: 'error', problem: res.problem });
        return;
      }
      checked += res.data.checked;
      if (!res.data.ok) {
        setRun({ state: 'failed', firstBadSeq: res.data.firstBadSeq, problems: res.data.problems });
        return;
      }
    }
    setRun({ state: 'ok', checked, from, to });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const from = Number(data.get('fromSeq'));
    const to = Number(data.get('toSeq'));
    const valid = Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= max && from <= to;
    setInvalid(!valid);
    if (valid) void verify(from, to);
  }

  const running = run.state === 'running';
  return (
    <TitledCard id="verify-title" title={t.verifyTitle} lead={t.verifyLead} testId="verify-range">
      {logSize === 0 ? (
        <p className="muted">{t.emptyLog}</p>
      ) : (
        <form className="filters filters--plain" onSubmit={onSubmit} noValidate>
          <CompactField id="verify-from" label={t.fromSeq}>
            <input
              id="verify-from"
              name="fromSeq"
              type="number"
              min={0}
              max={max}
              defaultValue={0}
              className="field__input"
              aria-invalid={invalid}
              disabled={running}
            />
          </CompactField>
          <CompactField id="verify-to" label={t.toSeq}>
            <input
              id="verify-to"
              name="toSeq"
              type="number"
              min={0}
              max={max}
              defaultValue={max}
              className="field__input"
              aria-invalid={invalid}
              disabled={running}
            />
          </CompactField>
          <div className="filters__buttons filters__buttons--flush">
            {running ? (
              <button type="button" className="button button--quiet" onClick={() => abort.current?.abort()}>
                {t.cancel}
              </button>
            ) : (
              <>
                <button type="submit" className="button button--primary">
                  {t.verify}
                </button>
                <button type="button" className="button button--quiet" onClick={() => void verify(0, max)}>
                  {t.verifyAll}
                </button>
              </>
            )}
          </div>
        </form>
      )}
      {invalid ? (
        <p className="field__error" role="alert">
          {format(t.rangeInvalid, { max })}
        </p>
      ) : null}

      <div aria-live="polite" data-testid="verify-result">
        {run.state === 'running' ? (
          <div className="progress">
            <progress max={run.total} value={run.done} aria-label={t.verifyTitle} />
            <p className="progress__label">
              <span>{format(t.progress, { checked: formatNumber(locale, run.done), total: formatNumber(locale, run.total) })}</span>
              {run.parts > 1 ? <span>{format(t.progressPart, { part: run.part, parts: run.parts })}</span> : null}
            </p>
          </div>
        ) : null}
        {run.state === 'ok' ? (
          <p className="verify verify--ok" data-state="ok">
            ✓ {format(t.verifyOk, { checked: formatNumber(locale, run.checked), from: run.from, to: run.to })}
          </p>
        ) : null}
        {run.state === 'stopped' ? <p className="notice notice--warning">{format(t.verifyStopped, { checked: formatNumber(locale, run.checked) })}</p> : null}
        {run.state === 'error' ? <ProblemAlert problem={run.problem} /> : null}
        {run.state === 'failed' ? (
          <div className="verify verify--failed" data-state="failed">
            <p className="verify__title">{run.firstBadSeq !== undefined ? format(t.verifyFailed, { seq: run.firstBadSeq }) : t.verifyFailedNoSeq}</p>
            {run.problems.length > 0 ? (
              <>
                <p>{t.problems}</p>
                <ul className="verify__steps">
                  {run.problems.slice(0, 50).map((p, i) => (
                    <li key={i}>
                      <code>{p.code}</code>{' '}
                      {p.seq !== undefined ? (
                        <Link className="link" href={`/audit?cursor=${p.seq + 1}&entry=${p.seq}`}>
                          {format(t.openEntry, { seq: p.seq })}
                        </Link>
                      ) : null}{' '}
                      {p.message}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ) : null}
      </div>
    </TitledCard>
  );
}

export function PublicKeyCard({ locale, keys, t }: { locale: string; keys: Keys; t: T }) {
  return (
    <TitledCard id="keys-title" title={t.keysTitle} lead={t.keysLead} testId="public-keys">
      {keys.keys.length === 0 ? (
        <p className="muted">{t.noKeys}</p>
      ) : (
        keys.keys.map((key) => (
          <div key={key.vkey} className="key">
            <pre className="note-text">{key.vkey}</pre>
            <p className="muted">
              {t.created}: {formatUtc(locale, key.createdAt)}
            </p>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => saveFile(`${key.name.replace(/[^a-z0-9-]+/gi, '-')}.vkey`, [`${key.vkey}\n`])}
            >
              {t.downloadKey}
            </button>
          </div>
        ))
      )}
    </TitledCard>
  );
}
