import { format } from '../i18n/format';
import { getI18n } from '../i18n/locale';
import { describeProblem } from '../lib/describe-problem';
import type { ProblemDetails } from '../lib/problem';

/** A failed API call while rendering a page, in words (the page's other parts still render). */
export async function ServerProblem({ problem, testId }: { problem: ProblemDetails; testId?: string }) {
  const { locale, dict } = await getI18n();
  const described = describeProblem(problem, dict.problems, locale, dict.duration);
  return (
    <div className="alert alert--error" role="alert" data-testid={testId} data-code={problem.code}>
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
      {described.detail ? <p className="alert__detail">{format(dict.problems.serverSaid, { detail: described.detail })}</p> : null}
      {described.requestId ? <p className="alert__ref">{format(dict.problems.reference, { id: described.requestId })}</p> : null}
    </div>
  );
}
