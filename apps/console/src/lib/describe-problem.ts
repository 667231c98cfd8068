import type { Dictionary } from '../i18n/en';
import { format, formatWait } from '../i18n/format';
import { fieldName, type ProblemDetails } from './problem';

export type ProblemStrings = Dictionary['problems'];
export type DurationStrings = Dictionary['duration'];

export interface DescribedProblem {
  /** One sentence in the page's language. */
  message: string;
  /** Field-level validation errors (the API's own words; field names as the API spells them). */
  fields: { field: string; message: string }[];
  /** The server's explanation, when it gave one that adds something. */
  detail?: string;
  requestId?: string;
}

/**
 * Turns an RFC 9457 problem into words. The stable `code` decides the sentence; the server's
 * `detail` is shown beside it (it is English), so nothing the API said is lost.
 */
export function describeProblem(problem: ProblemDetails, t: ProblemStrings, locale: string, units: DurationStrings): DescribedProblem {
  const codes = t.codes as Record<string, string>;
  let message: string;
  if (problem.status === 401 || problem.code === 'UNAUTHENTICATED') message = t.session;
  else if (problem.code === 'TOO_MANY_REQUESTS' || problem.code === 'RATE_LIMITED') {
    const base = codes[problem.code] ?? t.tooMany;
    message = problem.retryAfterSeconds ? `${base} ${format(t.retryIn, { wait: formatWait(locale, units, problem.retryAfterSeconds) })}` : base;
  } else if (codes[problem.code]) message = codes[problem.code];
  else if (problem.status === 403) message = codes.FORBIDDEN;
  else if (problem.status === 404) message = codes.NOT_FOUND;
  else if (problem.status === 409) message = codes.CONFLICT;
  else if (problem.status >= 500) message = codes.SERVICE_UNAVAILABLE;
  else message = format(t.unexpected, { status: problem.status });

  const fields = (problem.errors ?? []).map((error) => ({ field: fieldName(error.field), message: error.message }));
  const detail = problem.detail && problem.detail !== problem.title ? problem.detail : undefined;
  return { message, fields, detail, requestId: problem.requestId };
}

/** Field errors by form field name (the last segment of the API's field path). */
export function fieldErrorsOf(problem: ProblemDetails | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const path = error.field.replace(/^body[./]/, '');
    out[path] ??= error.message;
    out[fieldName(error.field)] ??= error.message;
  }
  return out;
}
