'use client';

import { format } from '../i18n/format';
import { useErrorStrings } from './error-strings';

export interface ErrorBoundaryProps {
  error: Error & { digest?: string };
  retry: () => void;
}

/** What an error boundary shows: what happened in words, a retry, and the server's reference. */
export function ErrorPanel({ error, retry }: ErrorBoundaryProps) {
  const t = useErrorStrings();
  return (
    <div className="status-page__card card" role="alert">
      <h1 className="status-page__title">{t.title}</h1>
      <p>{t.body}</p>
      {error.digest ? <p className="muted">{format(t.reference, { digest: error.digest })}</p> : null}
      <div className="status-page__actions">
        <button type="button" className="button button--primary" onClick={() => retry()}>
          {t.retry}
        </button>
        <a href="/" className="link">
          {t.backHome}
        </a>
      </div>
    </div>
  );
}
