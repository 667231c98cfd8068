/**
 * The page to return to after signing in, from the `next` query parameter. Only same-origin
 * paths are accepted (no `//host`, no `/\host`, no scheme), so the login page cannot be used
 * as an open redirect; anything else, and the login page itself, becomes `/`.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';

  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  const path = value.split(/[?#]/)[0] ?? '/';
  if (path === '/login' || path.startsWith('/login/') || path.startsWith('/api/')) return '/';
  return value;
}

/** `ended`: the browser had a session the API no longer accepts; the login page says so. */
export function loginHref(next: string, ended = false): string {
  const safe = safeNextPath(next);
  const query = [...(ended ? ['ended=session'] : []), ...(safe === '/' ? [] : [`next=${encodeURIComponent(safe)}`])].join('&');
  return query ? `/login?${query}` : '/login';
}

/** Request header through which src/proxy.ts tells server layouts which page was asked for. */
export const REQUEST_PATH_HEADER = 'x-retract-path';
