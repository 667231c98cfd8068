import type { FieldError, Problem, ProblemCode } from '@retract/contracts';

/**
 * RFC 9457 problem details as the console uses them, on the server and in the browser.
 * Deliberately free of zod so the login page's client bundle stays small: the structure is
 * checked field by field and anything that is not a problem document becomes a synthetic one.
 */
export interface ProblemDetails extends Omit<Problem, 'code'> {
  code: ProblemCode | (string & {});
  /** Seconds to wait, from the Retry-After header (429, 503). */
  retryAfterSeconds?: number;
  /** RFC 9457 extension members the API added (e.g. `auditSeq`, `holdIds` of a refused erasure). */
  extensions?: Record<string, unknown>;
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'requestId']);

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP-date always names the day and month ("Sun, 06 Nov 1994 08:49:37 GMT").
  const at = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.message === 'string' && typeof v.code === 'string';
}

export function toProblem(status: number, body: unknown, retryAfter?: string | null): ProblemDetails {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const problem: ProblemDetails = {
    type: typeof b.type === 'string' ? b.type : 'about:blank',
    title: typeof b.title === 'string' ? b.title : `HTTP ${status}`,
    status: typeof b.status === 'number' ? b.status : status,
    // Only something other than the API (a proxy error page, say) answers without a code; the
    // console decides on `status`, so no code is guessed from it.
    code: typeof b.code === 'string' ? b.code : 'INTERNAL',
  };
  if (typeof b.detail === 'string') problem.detail = b.detail;
  if (typeof b.instance === 'string') problem.instance = b.instance;
  if (typeof b.requestId === 'string') problem.requestId = b.requestId;
  if (Array.isArray(b.errors)) problem.errors = b.errors.filter(isFieldError);
  const extensions = Object.fromEntries(Object.entries(b).filter(([key]) => !STANDARD_MEMBERS.has(key)));
  if (Object.keys(extensions).length > 0) problem.extensions = extensions;
  const wait = parseRetryAfter(retryAfter);
  if (wait !== undefined) problem.retryAfterSeconds = wait;
  return problem;
}

/** Reads a failed response as a problem document, whatever its content type turned out to be. */
export async function readProblem(res: Response): Promise<ProblemDetails> {
  let body: unknown;
  try {
    body = /json/i.test(res.headers.get('content-type') ?? '') ? await res.json() : undefined;
  } catch {
    body = undefined;
  }
  return toProblem(res.status, body, res.headers.get('retry-after'));
}

/** The problem used when the API could not be reached at all. */
export function unreachableProblem(detail: string): ProblemDetails {
  return { type: 'about:blank', title: 'API unreachable', status: 503, code: 'SERVICE_UNAVAILABLE', detail };
}

/**
 * The form field a validation error belongs to. APIs name fields as `email`, `body.email`,
 * `/email` (JSON Pointer) or `["email"]`; the last segment is the field.
 */
export function fieldName(field: string): string {
  const parts = field.split(/[./[\]"']+/).filter(Boolean);
  return parts[parts.length - 1] ?? field;
}
