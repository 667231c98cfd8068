import { NextResponse, type NextRequest } from 'next/server';
import { REQUEST_PATH_HEADER } from './lib/next-path';

/**
 * Runs before every page request (not /api, which the rewrite in next.config.ts hands to the
 * API, and not static assets). It
 * - sets a strict, nonce-based Content-Security-Policy; Next.js reads the nonce from the
 *   request's CSP header and puts it on its own scripts (pages are rendered per request);
 * - records the requested path so server layouts can send signed-out users to
 *   `/login?next=<that path>` (layouts are not given the URL).
 * Authentication itself is decided in the server layouts, not here.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === 'development';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const search = new URLSearchParams(request.nextUrl.search);
  search.delete('_rsc'); // Next's internal cache-busting parameter on client navigations
  const query = search.toString();

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${query ? `?${query}` : ''}`);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
