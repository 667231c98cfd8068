/** An RFC 9457 problem document as the API answers errors: `code` is the stable, machine-readable cause. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  [member: string]: unknown;
}

/** A non-2xx answer, carrying its problem document. */
export class RetractProblemError extends Error {
  override readonly name = 'RetractProblemError';

  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.code ?? problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
  }
}

const isProblem = (value: unknown): value is Problem =>
  typeof value === 'object' && value !== null && typeof (value as Problem).title === 'string' && typeof (value as Problem).status === 'number';

/** The body of a successful openapi-fetch result; otherwise throws its problem as a RetractProblemError. */
export function ok<R extends { data?: unknown; error?: unknown; response: Response }>(result: R): Exclude<R['data'], undefined> {
  if (result.response.ok) return result.data as Exclude<R['data'], undefined>;
  const { status, statusText } = result.response;
  throw new RetractProblemError(status, isProblem(result.error) ? result.error : { type: 'about:blank', title: statusText || `HTTP ${status}`, status });
}
