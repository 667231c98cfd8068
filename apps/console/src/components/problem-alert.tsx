'use client';

import { format } from '../i18n/format';
import { describeProblem } from '../lib/describe-problem';
import type { ProblemDetails } from '../lib/problem';
import { useConsoleStrings } from './console-strings';

/** A failed request in words: what happened, the fields to fix, and the server's reference. */
export function ProblemAlert({ problem, testId, className }: { problem: ProblemDetails | null; testId?: string; className?: string }) {
  const { locale, problems, duration } = useConsoleStrings();
  if (!problem) return null;
  const described = describeProblem(problem, problems, locale, duration);
  return (
    <div className={`alert alert--error${className ? ` ${className}` : ''}`} role="alert" data-testid={testId} data-code={problem.code}>
      <p className="alert__message">{described.message}</p>
      {described.fields.length > 0 ? (
        <ul className="alert__fields">
          {described.fields.map((f, i) => (
            <li key={`${f.field}-${i}`}>
              <code>{f.field}</code> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {described.detail ? <p className="alert__detail">{format(problems.serverSaid, { detail: described.detail })}</p> : null}
      {problem.status === 401 ? (
        <a className="link" href={`/login?next=${encodeURIComponent(typeof window === 'undefined' ? '/' : window.location.pathname + window.location.search)}`}>
          {problems.signInAgain}
        </a>
      ) : null}
      {described.requestId ? <p className="alert__ref">{format(problems.reference, { id: described.requestId })}</p> : null}
    </div>
  );
}
