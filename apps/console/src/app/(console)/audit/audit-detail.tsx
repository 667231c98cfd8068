'use client';

import type { AuditEntryDetail, CheckpointView } from '@retract/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { HeldBadge } from '../../../components/held-badge';
import { ProblemAlert } from '../../../components/problem-alert';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi, type ClientResult } from '../../../lib/client-api';
import { formatBytes, ruleLabel, shortId } from '../../../lib/labels';
import type { ProblemDetails } from '../../../lib/problem';
import type { EntryVerification, StepState, VerificationInput } from '../../../lib/verify-entry';
import type { AuditStrings } from './audit-browser';

type PublicKeys = VerificationInput['keys'];
type InclusionProof = VerificationInput['proof'] & { checkpoint: CheckpointView | null };

/**
 * Opening an entry appends AUDIT_CONTENT_VIEWED on the server. React's development mode runs
 * effects twice; sharing the in-flight request per entry keeps that to one recorded view.
 */
const inflight = new Map<number, Promise<ClientResult<AuditEntryDetail>>>();
function loadDetail(seq: number): Promise<ClientResult<AuditEntryDetail>> {
  let request = inflight.get(seq);
  if (!request) {
    request = callApi<AuditEntryDetail>(`/api/v1/audit/${seq}`);
    inflight.set(seq, request);
    void request.finally(() => setTimeout(() => inflight.delete(seq), 0));
  }
  return request;
}

let keysRequest: Promise<ClientResult<PublicKeys>> | null = null;
function loadKeys(refresh = false): Promise<ClientResult<PublicKeys>> {
  if (!keysRequest || refresh) keysRequest = callApi<PublicKeys>('/api/v1/audit/public-keys');
  return keysRequest;
}

type Proof =
  | { state: 'loading' }
  | { state: 'uncovered' }
  | { state: 'withheld' }
  | { state: 'failed'; problem: ProblemDetails }
  | { state: 'checked'; result: EntryVerification; keyName?: string };

export function AuditDetail({ seq, locale, t, onClose }: { seq: number; locale: string; t: AuditStrings; onClose: () => void }) {
  const [detail, setDetail] = useState<AuditEntryDetail | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [proof, setProof] = useState<Proof>({ state: 'loading' });
  const [signing, setSigning] = useState(false);
  const [signProblem, setSignProblem] = useState<ProblemDetails | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const a = t.audit;

  useEffect(() => {
    headingRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const check = useCallback(
    async (entry: AuditEntryDetail, refreshKeys = false) => {
      if (entry.leaf === null) {
        setProof({ state: 'withheld' });
        return;
      }
      const leaf = entry.leaf;
      setProof({ state: 'loading' });
      const [proofRes, keysRes, lib] = await Promise.all([
        callApi<InclusionProof>(`/api/v1/audit/proofs/inclusion?seq=${seq}`),
        loadKeys(refreshKeys),
        import('../../../lib/verify-entry'),
      ]);
      if (!proofRes.ok) {
        // 400 on `seq`: the entry is newer than the latest signed checkpoint.
        const uncovered = proofRes.status === 400 && proofRes.problem.errors?.some((e) => e.field.endsWith('seq'));
        const noCheckpoint = proofRes.status === 404 && entry.seq >= 0;
        setProof(uncovered || noCheckpoint ? { state: 'uncovered' } : { state: 'failed', problem: proofRes.problem });
        return;
      }
      if (!keysRes.ok) {
        setProof({ state: 'failed', problem: keysRes.problem });
        return;
      }
      if (!proofRes.data.checkpoint) {
        setProof({ state: 'uncovered' });
        return;
      }
      const result = lib.verifyEntry({ seq, leaf, leafHash: entry.leafHash, proof: proofRes.data, keys: keysRes.data });
      setProof({ state: 'checked', result, keyName: result.keyName ?? keysRes.data.keys[0]?.vkey });
    },
    [seq],
  );

  useEffect(() => {
    let live = true;
    void loadDetail(seq).then((res) => {
      if (!live) return;
      if (!res.ok) {
        setProblem(res.problem);
        return;
      }
      setDetail(res.data);
      void check(res.data);
    });
    return () => {
      live = false;
    };
  }, [seq, check]);

  async function signCheckpoint() {
    if (!detail) return;
    setSigning(true);
    setSignProblem(null);
    const res = await callApi<CheckpointView>('/api/v1/audit/checkpoints', { method: 'POST' });
    setSigning(false);
    if (!res.ok) {
      setSignProblem(res.problem);
      return;
    }
    await check(detail, true);
  }

  return (
    <aside className="drawer" aria-labelledby="audit-detail-title" data-testid="audit-detail">
      <div className="drawer__header">
        <h2 id="audit-detail-title" className="drawer__title" tabIndex={-1} ref={headingRef}>
          {format(a.detailTitle, { seq })}
          {detail ? <span className="drawer__subtitle">{t.auditActions[detail.action] ?? detail.action}</span> : null}
        </h2>
        <button type="button" className="button button--quiet" onClick={onClose} aria-label={a.closeDetail}>
          {t.table.close}
        </button>
      </div>
      <p className="notice notice--info" data-testid="view-audited">
        {a.viewAudited}
        {detail?.content?.state === 'READABLE' ? <> {format(a.viewRecorded, { seq: detail.content.viewAuditSeq })}</> : null}
      </p>

      <ProblemAlert problem={problem} testId="audit-detail-problem" />
      {!detail && !problem ? (
        <div className="skeleton" role="status" aria-busy="true">
          <span className="visually-hidden">{a.detailLoading}</span>
          <div className="skeleton__line" />
          <div className="skeleton__block" />
        </div>
      ) : null}

      {detail ? (
        <>
          <section aria-labelledby="audit-integrity" className="drawer__section">
            <h3 id="audit-integrity" className="drawer__heading">
              {a.integrity}
            </h3>
            <Verification proof={proof} t={t} signing={signing} onSign={signCheckpoint} onRecheck={() => void check(detail, true)} />
            <ProblemAlert problem={signProblem} />
            <dl className="facts facts--compact">
              <div className="facts__row">
                <dt>{a.leafHash}</dt>
                <dd>
                  <code className="hash">{detail.leafHash}</code>
                </dd>
              </div>
            </dl>
          </section>

          <section aria-labelledby="audit-facts" className="drawer__section">
            <h3 id="audit-facts" className="drawer__heading">
              {a.facts}
            </h3>
            <dl className="facts facts--compact">
              <Fact label={a.occurredAt}>{formatUtc(locale, detail.occurredAt)}</Fact>
              <Fact label={a.actor}>
                {detail.actor
                  ? `${detail.actor.displayName} <${detail.actor.email}>`
                  : detail.serviceAccount && detail.serviceAccount.id === detail.actorId
                    ? `${detail.serviceAccount.name} (${a.serviceAccount})`
                    : detail.actorId
                      ? t.table.erasedPerson
                      : t.table.system}
                {detail.actorId && detail.serviceAccount?.id !== detail.actorId ? (
                  <>
                    {' '}
                    <HeldBadge userId={detail.actorId} label={a.held} heldBy={a.heldBy} />
                  </>
                ) : null}
              </Fact>
              {detail.subjectUserId ? (
                <Fact label={a.subject}>
                  {detail.subject ? (
                    `${detail.subject.displayName} <${detail.subject.email}>`
                  ) : (
                    <>
                      {t.table.erasedPerson} <code title={detail.subjectUserId}>{detail.subjectUserId}</code>
                    </>
                  )}{' '}
                  <HeldBadge userId={detail.subjectUserId} label={a.held} heldBy={a.heldBy} />
                </Fact>
              ) : null}
              {detail.source ? <SourceFacts detail={detail} source={detail.source} locale={locale} t={t} /> : null}
              {detail.conversationId ? (
                <Fact label={a.conversation}>
                  <code title={detail.conversationId}>{detail.conversationId}</code>
                </Fact>
              ) : null}
              {detail.messageId ? (
                <Fact label={a.message}>
                  <code title={detail.messageId}>{detail.messageId}</code>
                </Fact>
              ) : null}
              {detail.decidedBy ? (
                <Fact label={a.rule}>
                  <span data-testid="audit-rule">
                    {ruleLabel(detail.decidedBy, t.rules)}
                    {detail.policyVersion !== null ? ` · ${format(t.rules.version, { version: detail.policyVersion })}` : ''}
                  </span>
                </Fact>
              ) : null}
              {detail.denialCode ? (
                <Fact label={a.denialCode}>{t.denialCodes[detail.denialCode as keyof typeof t.denialCodes] ?? detail.denialCode}</Fact>
              ) : null}
              {detail.action === 'MESSAGE_RECALLED' || detail.action === 'RECALL_DENIED' || detail.reason || detail.personalData ? (
                <Fact label={a.reason}>
                  {detail.reason ?? (
                    <span className="muted">
                      {detail.personalData === 'ERASED' ? a.reasonErased : detail.personalData === 'UNREADABLE' ? a.reasonUnreadable : a.noReason}
                    </span>
                  )}
                </Fact>
              ) : null}
              {detail.forced ? (
                <Fact label={a.forced}>
                  <span className="badge badge--warning">{a.forced}</span>
                </Fact>
              ) : null}
            </dl>
          </section>

          {detail.content || detail.hasContent ? (
            <section aria-labelledby="audit-content" className="drawer__section">
              <h3 id="audit-content" className="drawer__heading">
                {a.contentTitle}
              </h3>
              <Content detail={detail} locale={locale} t={t} />
            </section>
          ) : null}

          {detail.recallReach ? (
            <section aria-labelledby="audit-reach" className="drawer__section">
              <h3 id="audit-reach" className="drawer__heading">
                {a.reach}
              </h3>
              <Reach detail={detail} locale={locale} t={t} />
            </section>
          ) : null}

          <details className="drawer__section">
            <summary>{a.details}</summary>
            <pre className="json">{JSON.stringify(detail.details, null, 2)}</pre>
          </details>
        </>
      ) : null}
    </aside>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Where an integrated chat system's entry came from: the chat system, the service account, and its own ids (docs/integration.md). */
function SourceFacts({ detail, source, locale, t }: { detail: AuditEntryDetail; source: string; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const external = (typeof detail.details.external === 'object' && detail.details.external !== null ? detail.details.external : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  const [messageId, conversationId, sentAt] = [text(external.messageId), text(external.conversationId), text(external.sentAt)];
  return (
    <>
      <Fact label={a.source}>
        <span className="badge badge--muted" data-testid="audit-detail-source">
          {source}
        </span>
      </Fact>
      {detail.serviceAccount ? (
        <Fact label={a.serviceAccount}>
          <span data-testid="audit-detail-service-account">{detail.serviceAccount.name}</span>
        </Fact>
      ) : null}
      {messageId ? (
        <Fact label={format(a.externalMessage, { source })}>
          <code className="hash">{messageId}</code>
        </Fact>
      ) : null}
      {conversationId ? (
        <Fact label={format(a.externalConversation, { source })}>
          <code className="hash">{conversationId}</code>
        </Fact>
      ) : null}
      {sentAt ? <Fact label={format(a.externalSentAt, { source })}>{formatUtc(locale, sentAt)}</Fact> : null}
    </>
  );
}

function Verification({
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
  if (proof.state === 'loading') {
    return (
      <p className="verify verify--pending" role="status" data-testid="verify-status">
        {a.verifying}
      </p>
    );
  }
  if (proof.state === 'withheld') {
    return (
      <p className="verify verify--pending" role="status" data-testid="verify-status" data-state="withheld">
        {a.leafWithheld}
      </p>
    );
  }
  if (proof.state === 'uncovered') {
    return (
      <div className="verify verify--pending" role="status" data-testid="verify-status" data-state="uncovered">
        <p>{a.notCovered}</p>
        <button type="button" className="button button--primary" onClick={onSign} disabled={signing} aria-busy={signing}>
          {signing ? a.signing : a.signNow}
        </button>
      </div>
    );
  }
  if (proof.state === 'failed') {
    return (
      <div className="verify verify--failed" data-testid="verify-status" data-state="failed">
        <p className="verify__title">{a.notVerified}</p>
        <ProblemAlert problem={proof.problem} />
        <button type="button" className="button button--quiet" onClick={onRecheck}>
          {a.recheck}
        </button>
      </div>
    );
  }
  const r = proof.result;
  const step = (state: StepState, label: string) => (
    <li className={`verify__step verify__step--${state}`}>
      <span aria-hidden="true">{state === 'ok' ? '✓' : state === 'failed' ? '✗' : '–'}</span> {label}{' '}
      <span className="visually-hidden">({state === 'ok' ? a.stepOk : state === 'failed' ? a.stepFailed : a.stepSkipped})</span>
    </li>
  );
  return (
    <div className={`verify ${r.verified ? 'verify--ok' : 'verify--failed'}`} data-testid="verify-status" data-state={r.verified ? 'verified' : 'failed'}>
      <p className="verify__title">{r.verified ? a.verified : a.notVerified}</p>
      {r.verified ? <p className="verify__lead">{a.verifiedLead}</p> : null}
      <ul className="verify__steps">
        {step(r.leaf, a.stepLeaf)}
        {step(r.signature, format(a.stepSignature, { size: r.treeSize ?? '?', key: r.keyName ?? '?' }))}
        {step(r.inclusion, a.stepInclusion)}
      </ul>
      {r.message ? <p className="muted">{r.message}</p> : null}
      {proof.keyName ? <p className="field__hint">{format(a.keyNote, { key: proof.keyName })}</p> : null}
    </div>
  );
}

function Content({ detail, locale, t }: { detail: AuditEntryDetail; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const content = detail.content;
  if (!content) return <p className="muted">{a.contentNone}</p>;
  switch (content.state) {
    case 'ERASED':
      return (
        <div className="notice notice--warning" data-testid="audit-content">
          <p>{format(a.contentErased, { date: formatUtc(locale, content.destroyedAt) })}</p>
          {content.reason ? <p>{format(a.contentErasedReason, { reason: content.reason })}</p> : null}
        </div>
      );
    case 'WITHHELD':
      return (
        <p className="notice notice--warning" data-testid="audit-content">
          {a.contentWithheld}
        </p>
      );
    case 'UNREADABLE':
      return (
        <p className="notice notice--warning" data-testid="audit-content">
          {a.contentUnreadable}
        </p>
      );
    case 'READABLE': {
      const value = (content.value ?? {}) as {
        type?: string;
        body?: string;
        attachment?: { name: string; mimeType: string; size: number };
        location?: { latitude: number; longitude: number; label?: string };
        payment?: { amountMinor: number; currency: string };
        /** An integrated chat system's recall names its files, without their bytes. */
        attachments?: { name: string }[];
      };
      const attachments = Array.isArray(value.attachments) ? value.attachments.filter((item) => typeof item?.name === 'string') : [];
      return (
        <div className="recalled-content" data-testid="audit-content">
          <p className="muted">{a.contentReadable}</p>
          {value.type ? <span className="badge">{value.type}</span> : null}
          {value.body ? <blockquote className="quote">{value.body}</blockquote> : null}
          {value.attachment ? (
            <p>{format(a.attachment, { name: value.attachment.name, type: value.attachment.mimeType, size: formatBytes(locale, value.attachment.size) })}</p>
          ) : null}
          {value.location ? (
            <p>{format(a.location, { label: value.location.label ?? '', lat: value.location.latitude, lng: value.location.longitude })}</p>
          ) : null}
          {value.payment ? <p>{format(a.payment, { amount: (value.payment.amountMinor / 100).toFixed(2), currency: value.payment.currency })}</p> : null}
          {attachments.length > 0 ? (
            <ul className="id-list">
              {attachments.map((item, index) => (
                <li key={index}>{format(a.attachmentName, { name: item.name })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      );
    }
  }
}

function Reach({ detail, locale, t }: { detail: AuditEntryDetail; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const reach = detail.recallReach!;
  const delivered = Array.isArray(detail.details.alreadyDeliveredTo) ? (detail.details.alreadyDeliveredTo as { userId: string; at: string }[]) : [];
  return (
    <div data-testid="audit-reach">
      {reach.recipients === 0 ? (
        <p>{a.reachNone}</p>
      ) : (
        <>
          <p className="reach">
            <meter min={0} max={reach.recipients} value={reach.applied} aria-hidden="true" />{' '}
            <strong>{format(a.reachText, { applied: reach.applied, recipients: reach.recipients })}</strong>
          </p>
          {reach.pending.length > 0 ? (
            <>
              <p className="muted">{a.reachPending}</p>
              <ul className="id-list">
                {reach.pending.map((id) => (
                  <li key={id}>
                    <code title={id}>{shortId(id)}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">{a.reachAll}</p>
          )}
        </>
      )}
      {delivered.length > 0 ? (
        <>
          <p className="muted">{a.delivered}</p>
          <ul className="id-list">
            {delivered.map((d) => (
              <li key={d.userId}>
                <code title={d.userId}>{shortId(d.userId)}</code> · {formatUtc(locale, d.at)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
