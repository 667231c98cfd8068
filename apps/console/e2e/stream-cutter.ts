import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP forward proxy for one browser context (Playwright's `proxy` option) that can cut the
 * console's event streams the way a network failure does: `cut()` kills the open stream
 * connections and holds every new stream request unanswered; `restore()` lets the held ones
 * through. Everything else passes untouched, so the page keeps sending while it cannot hear.
 *
 * Playwright's `setOffline` is no substitute: Chromium's offline emulation fails new requests
 * but leaves an open EventSource connection running.
 */
export interface StreamCutter {
  /** For `browser.newContext({ proxy })`; loopback is proxied too (Chromium bypasses it by default). */
  proxy: { server: string; bypass: string };
  cut(): void;
  /** Lets held stream requests through; resolves with the moment the stream could come back. */
  restore(): number;
  close(): Promise<void>;
}

const isStream = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://proxy').pathname === '/api/v1/events';

export async function startStreamCutter(): Promise<StreamCutter> {
  let cut = false;
  const open = new Set<ServerResponse>();
  const held: (() => void)[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    // A held request whose page gave up meanwhile.
    if (res.destroyed || req.socket.destroyed) return;
    // A forward proxy receives the absolute URL of the target; anything else is not for it.
    const target = URL.parse(req.url ?? '');
    if (!target || target.protocol !== 'http:') {
      console.warn(`stream cutter: refused ${req.method} ${req.url}`);
      res.writeHead(400).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
    if (isStream(req)) {
      open.add(res);
      res.on('close', () => open.delete(res));
    }
  };

  const server = createServer((req, res) => {
    if (cut && isStream(req)) held.push(() => forward(req, res));
    else forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    proxy: { server: `http://127.0.0.1:${port}`, bypass: '<-loopback>' },
    cut() {
      cut = true;
      for (const res of open) res.socket?.destroy();
    },
    restore() {
      cut = false;
      const at = Date.now();
      for (const release of held.splice(0)) release();
      return at;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
