import { ProblemAlert } from '../../../../components/problem-alert';
import { format } from '../../../../i18n/format';
import type { StepState } from '../../../../lib/verify-entry';
import type { AuditStrings } from '../audit-browser';
import type { Proof } from './use-entry-proof';

/** The outcome of checking an entry in the browser, step by step, or what stands in the way. */
export function EntryVerification({
  proof,
  t,
  signing,
  onSign,
  onRecheck,
}: {
  proof: Proof;
  t: AuditStrings;
  signing: boolean;
  onSign: () => void;
  onRecheck: () => void;
}) {
  const a = t.audit;
  switch (proof.state) {
    case 'loading':
      return (
        <p className="verify verify--pending" role="status" data-testid="verify-status">
          {a.verifying}
        </p>
      );
    case 'withheld':
      return (
        <p className="verify verify--pending" role="status" data-testid="verify-status" data-state="withheld">
          {a.leafWithheld}
        </p>
      );
    case 'uncovered':
      return (
        <div className="verify verify--pending" role="status" data-testid="verify-status" data-state="uncovered">
          <p>{a.notCovered}</p>
          <button type="button" className="button button--primary" onClick={onSign} disabled={signing} aria-busy={signing}>
            {signing ? a.signing : a.signNow}
          </button>
        </div>
      );
    case 'failed':
      return (
        <div className="verify verify--failed" data-testid="verify-status" data-state="failed">
          <p className="verify__title">{a.notVerified}</p>
          <ProblemAlert problem={proof.problem} />
          <button type="button" className="button button--quiet" onClick={onRecheck}>
            {a.recheck}
          </button>
        </div>
      );
    case 'checked': {
      const r = proof.result;
      return (
        <div className={`verify ${r.verified ? 'verify--ok' : 'verify--failed'}`} data-testid="verify-status" data-state={r.verified ? 'verified' : 'failed'}>
          <p className="verify__title">{r.verified ? a.verified : a.notVerified}</p>
          {r.verified ? <p className="verify__lead">{a.verifiedLead}</p> : null}
          <ul className="verify__steps">
            <Step state={r.leaf} label={a.stepLeaf} t={t} />
            <Step state={r.signature} label={format(a.stepSignature, { size: r.treeSize ?? '?', key: r.keyName ?? '?' })} t={t} />
            <Step state={r.inclusion} label={a.stepInclusion} t={t} />
          </ul>
          {r.message ? <p className="muted">{r.message}</p> : null}
          {proof.keyName ? <p className="field__hint">{format(a.keyNote, { key: proof.keyName })}</p> : null}
        </div>
      );
    }
  }
}

function Step({ state, label, t }: { state: StepState; label: string; t: AuditStrings }) {
  const a = t.audit;
  return (
    <li className={`verify__step verify__step--${state}`}>
      <span aria-hidden="true">{state === 'ok' ? '✓' : state === 'failed' ? '✗' : '–'}</span> {label}{' '}
      <span className="visually-hidden">({state === 'ok' ? a.stepOk : state === 'failed' ? a.stepFailed : a.stepSkipped})</span>
    </li>
  );
}
