import { cookies } from 'next/headers';
import { apiInternalUrl } from '../../lib/api-origin';
import { SESSION_COOKIE } from '../../lib/api';

/**
 * GET /events — the API's event stream (GET /api/v1/events, Server-Sent Events) for the browser.
 *
 * The `/api` rewrite would carry it too, but Next's response compression gzips rewritten
 * responses, and a gzip stream holds SSE frames back until its buffer fills: a recall would reach
 * the recipient's page minutes late. This handler passes the stream through with
 * `Cache-Control: no-transform`, which the compression middleware honours, and forwards only the
 * session cookie and Last-Event-ID (EventSource resumes with it after a reconnect).
 */
export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (session) headers.cookie = `${SESSION_COOKIE}=${encodeURIComponent(session)}`;
  const lastEventId = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
  if (lastEventId && /^\d{1,18}$/.test(lastEventId)) headers['last-event-id'] = lastEventId;

  let upstream: Response;
  try {
    upstream = await fetch(`${apiInternalUrl()}/api/v1/events`, { headers, cache: 'no-store', redirect: 'manual', signal: request.signal });
  } catch {
    return Response.json(
      { type: 'about:blank', title: 'API unreachable', status: 503, code: 'SERVICE_UNAVAILABLE' },
      { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '5' } },
    );
  }
  if (!upstream.ok || !upstream.body) {
    return new Response(upstream.body, { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/problem+json' } });
  }
  // When the browser goes away, stop reading from the API so its stream closes too.
  const body = upstream.body;
  request.signal.addEventListener('abort', () => void body.cancel().catch(() => undefined), { once: true });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
    },
  });
}
