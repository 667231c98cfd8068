'use client';

import type { AuditEntryDetail } from '@retract/contracts';
import { useEffect, useRef, useState } from 'react';
import { ProblemAlert } from '../../../../components/problem-alert';
import { format } from '../../../../i18n/format';
import type { ProblemDetails } from '../../../../lib/problem';
import type { AuditStrings } from '../audit-browser';
import { ContentViewConfirm, useContentViewConsent } from './content-view-consent';
import { EntryContent } from './entry-content';
import { EntryFacts } from './entry-facts';
import { loadEntry } from './entry-requests';
import { EntryVerification } from './entry-verification';
import { RecallReach } from './recall-reach';
import { useEntryProof } from './use-entry-proof';

/** Who is looking: their name goes into the content-view question; only some may read content at all. */
export interface Viewer {
  name: string;
  readsContent: boolean;
}

interface Props {
  seq: number;
  /** Whether the page's list says the entry has content; undefined when the entry is not on the page. */
  listedHasContent?: boolean;
  viewer: Viewer;
  locale: string;
  t: AuditStrings;
  onClose: () => void;
}

/** One entry of the audit trail: asked about first when opening it records a content view, then the drawer. */
export function AuditEntry({ seq, listedHasContent, viewer, locale, t, onClose }: Props) {
  const { consent, give } = useContentViewConsent(seq, listedHasContent, viewer.readsContent);
  if (consent === 'checking') return null;
  if (consent === 'asking') return <ContentViewConfirm viewerName={viewer.name} t={t} onConfirm={give} onCancel={onClose} />;
  return <AuditDetail seq={seq} locale={locale} t={t} onClose={onClose} />;
}

/** The drawer: integrity (checked in the browser), what happened, the recalled content, the recall's reach, all details. */
function AuditDetail({ seq, locale, t, onClose }: { seq: number; locale: string; t: AuditStrings; onClose: () => void }) {
  const [detail, setDetail] = useState<AuditEntryDetail | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const { proof, check, sign, signing, signProblem } = useEntryProof(seq);
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

  useEffect(() => {
    let live = true;
    void loadEntry(seq).then((res) => {
      if (!live) return;
      if (!res.ok) return setProblem(res.problem);
      setDetail(res.data);
      void check(res.data);
    });
    return () => {
      live = false;
    };
  }, [seq, check]);

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
          <DrawerSection id="audit-integrity" title={a.integrity}>
            <EntryVerification proof={proof} t={t} signing={signing} onSign={() => void sign(detail)} onRecheck={() => void check(detail, true)} />
            <ProblemAlert problem={signProblem} />
            <dl className="facts facts--compact">
              <div className="facts__row">
                <dt>{a.leafHash}</dt>
                <dd>
                  <code className="hash">{detail.leafHash}</code>
                </dd>
              </div>
            </dl>
          </DrawerSection>
          <DrawerSection id="audit-facts" title={a.facts}>
            <EntryFacts detail={detail} locale={locale} t={t} />
          </DrawerSection>
          {detail.content || detail.hasContent ? (
            <DrawerSection id="audit-content" title={a.contentTitle}>
              <EntryContent detail={detail} locale={locale} t={t} />
            </DrawerSection>
          ) : null}
          {detail.recallReach ? (
            <DrawerSection id="audit-reach" title={a.reach}>
              <RecallReach detail={detail} locale={locale} t={t} />
            </DrawerSection>
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

function DrawerSection({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="drawer__section">
      <h3 id={id} className="drawer__heading">
        {title}
      </h3>
      {children}
    </section>
  );
}
