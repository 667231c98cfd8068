import { readProblem, unreachableProblem, type ProblemDetails } from './problem';

/**
 * Calls the API from the browser through the console's same-origin `/api` rewrite (the httpOnly
 * session cookie goes along by itself). Every failure comes back as an RFC 9457 problem, never as
 * a thrown error, so a component can always say in words what went wrong.
 *
 * Responses are not checked with zod here: that would put zod in every page's bundle. The server
 * side (src/lib/api.ts) checks what it renders; the browser trusts the same-origin API's types.
 */
export type ClientResult<T> = { ok: true; status: number; data: T; headers: Headers } | { ok: false; status: number; problem: ProblemDetails };

export interface ClientRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

export async function callApi<T>(path: string, request: ClientRequest = {}): Promise<ClientResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      cache: 'no-store',
      credentials: 'same-origin',
      signal: request.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    return { ok: false, status: 503, problem: unreachableProblem(cause instanceof Error ? cause.message : String(cause)) };
  }
  if (!res.ok) return { ok: false, status: res.status, problem: await readProblem(res) };
  const data = (res.status === 204 ? undefined : await res.json()) as T;
  return { ok: true, status: res.status, data, headers: res.headers };
}

/** `/api/v1/audit?action=…`: builds a query string from the defined, non-empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
