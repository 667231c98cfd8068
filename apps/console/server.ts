import { createServer } from 'node:http';
import { createApiForwarder } from './src/lib/api-forwarder';
import { apiInternalUrl } from './src/lib/api-origin';
import { withForwardedFor } from './src/lib/forwarded-for';

/**
 * The console's HTTP server: Next.js's production request handler (the same one `next start`
 * runs, with the same proxy), behind one step of our own that records the connecting
 * address in X-Forwarded-For, so the API can limit logins per browser address when it is told to
 * trust the console as one proxy hop (TRUST_PROXY_HOPS=1; docs/architecture.md, "Client addresses").
 * `/api` goes to the API through src/lib/api-forwarder.ts rather than Next's rewrite, which answers a
 * bare 500 and logs a stack trace for every request while the API is down.
 *
 * Environment: PORT (default 3000), CONSOLE_HOST (default 127.0.0.1), CONSOLE_DIST_DIR (next.config.ts).
 */
/** How long requests under way may take to finish once the console is asked to stop. */
const STOP_GRACE_MS = 1_500;

async function main(): Promise<void> {
  // As `next start` does: a production server unless told otherwise.
  const env = process.env as Record<string, string | undefined>;
  env.NODE_ENV ||= 'production';
  env.NEXT_RUNTIME = 'nodejs';
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.CONSOLE_HOST ?? '127.0.0.1';
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: __dirname, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const forwardToApi = createApiForwarder({ apiUrl: apiInternalUrl() });
  const server = createServer((request, response) => {
    request.headers['x-forwarded-for'] = withForwardedFor(request.headers['x-forwarded-for'], request.socket.remoteAddress);
    if (/^\/api(\/|\?|$)/.test(request.url ?? '')) forwardToApi(request, response);
    else void handle(request, response);
  });
  server.listen(port, hostname, () => console.log(`console ready on http://${hostname}:${port}`));
  // As `next start` does: finish the requests under way, then close Next, then exit as signalled.
  // A browser's open event stream (proxied to the API) never finishes by itself and would reconnect
  // through a kept-alive connection: after a short grace, every connection is closed.
  const stop = (code: number) => () => {
    server.close(() => void app.close().finally(() => process.exit(code)));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop(143));
  process.once('SIGINT', stop(130));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
