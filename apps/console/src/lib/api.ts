import 'server-only';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { apiInternalUrl } from './api-origin';
import { readProblem, unreachableProblem, type ProblemDetails } from './problem';

/**
 * The API's httpOnly session cookie (`__Host-`, Secure, SameSite=Strict: docs/architecture.md,
 * "Browser sessions"). The console never reads its content, it only forwards it.
 */
export const SESSION_COOKIE = '__Host-retract_session';

const TIMEOUT_MS = 10_000;

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: ProblemDetails };

/**
 * A failed API call that a page cannot handle itself; the nearest error boundary shows it. It is an
 * answer, not a bug of the console: Next.js logs it as one line (its message), without a stack trace.
 */
export class ApiError extends Error {
  declare readonly path: string;
  declare readonly problem: ProblemDetails;

  constructor(path: string, problem: ProblemDetails) {
    super(`${path}: ${problem.status} ${problem.code}${problem.detail ? ` (${problem.detail})` : ''}`);
    this.name = 'ApiError';
    // Not enumerable, so a logged ApiError is its one line, not the problem document after it.
    Object.defineProperties(this, { path: { value: path }, problem: { value: problem }, stack: { value: `${this.name}: ${this.message}` } });
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
}

/**
 * Calls the API from the console server on behalf of the signed-in user: forwards the session
 * cookie (and nothing else of the browser's), never caches, and turns every failure into an
 * RFC 9457 problem. A successful body that does not match `schema` is a contract break and throws.
 */
export async function apiFetch<T>(path: string, schema: z.ZodType<T>, request: ApiRequest = {}): Promise<ApiResult<T>> {
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (session) headers.cookie = `${SESSION_COOKIE}=${encodeURIComponent(session)}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(`${apiInternalUrl()}${path}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    return { ok: false, status: 503, problem: unreachableProblem(cause instanceof Error ? cause.message : String(cause)) };
  }

  if (!res.ok) return { ok: false, status: res.status, problem: await readProblem(res) };

  const body: unknown = res.status === 204 ? undefined : await res.json();
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`Unexpected response from ${path}: ${z.prettifyError(parsed.error)}`);
  }
  return { ok: true, status: res.status, data: parsed.data };
}
