'use client';

import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { format } from '../../../../i18n/format';
import type { AuditStrings } from '../audit-browser';
import { entryHasContent } from './entry-requests';

/** Set for the rest of the browser tab's session when the officer ticks "don't ask again". */
export const CONSENT_KEY = 'retract.audit.contentViewConfirmed';

type Consent = 'checking' | 'asking' | 'given';

function consentedThisSession(): boolean {
  try {
    return sessionStorage.getItem(CONSENT_KEY) === '1';
  } catch {
    return false;
  }
}

/** Session storage does not notify its own tab; the answer is re-read on every render instead. */
const noSubscription = () => () => undefined;

/**
 * Whether an entry may be opened yet. Opening an entry with recalled content shows the content to
 * a compliance officer and records the view under their name (AUDIT_CONTENT_VIEWED), so they are
 * asked first, unless they said not to for this session. Whether the entry has content comes
 * from the page's list, or (a shared link to an entry on another page) from a list read of it.
 * Session storage is not read on the server: its render asks, as a first visit would.
 */
export function useContentViewConsent(seq: number, listedHasContent: boolean | undefined, readsContent: boolean) {
  const remembered = useSyncExternalStore(noSubscription, consentedThisSession, () => false);
  const [given, setGiven] = useState(false);
  const [peeked, setPeeked] = useState<boolean | null | undefined>(undefined);
  const decided = given || remembered || !readsContent || listedHasContent !== undefined;
  useEffect(() => {
    if (decided) return;
    let live = true;
    void entryHasContent(seq).then((has) => live && setPeeked(has));
    return () => {
      live = false;
    };
  }, [decided, seq]);

  const hasContent = listedHasContent ?? peeked;
  const consent: Consent = given || remembered || !readsContent || hasContent === false ? 'given' : hasContent === undefined ? 'checking' : 'asking';

  function give(remember: boolean) {
    if (remember) {
      try {
        sessionStorage.setItem(CONSENT_KEY, '1');
      } catch {
        // Storage refused (private mode): the officer is asked again next time, which is the safe side.
      }
    }
    setGiven(true);
  }
  return { consent, give };
}

/** The question before recalled content opens: a modal dialog; Escape or Cancel opens nothing and returns focus to what opened it. */
export function ContentViewConfirm({
  viewerName,
  t,
  onConfirm,
  onCancel,
}: {
  viewerName: string;
  t: AuditStrings;
  onConfirm: (remember: boolean) => void;
  onCancel: () => void;
}) {
  const a = t.audit;
  const ref = useRef<HTMLDialogElement>(null);
  const [remember, setRemember] = useState(false);
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      // The dialog leaves the page before it closes, so the browser does not give focus back itself.
      // Opening the entry instead moves focus on to its drawer (effects after this one).
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid="content-view-confirm"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId} className="modal__title">
        {a.contentConfirmTitle}
      </h2>
      <p id={textId}>{format(a.contentConfirmText, { name: viewerName })}</p>
      <label className="check">
        <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
        {a.contentConfirmRemember}
      </label>
      <div className="form-actions">
        <button type="button" className="button button--primary" onClick={() => onConfirm(remember)}>
          {a.contentConfirmOpen}
        </button>
        <button type="button" className="button button--quiet" onClick={onCancel} autoFocus>
          {t.table.cancel}
        </button>
      </div>
    </dialog>
  );
}
