import type { FastifyRequest } from 'fastify';

/**
 * Where a browser request came from, as browsers state it: `Sec-Fetch-Site` on every request
 * (Fetch Metadata) and `Origin` on writes and cross-origin reads. Neither can be set by a page
 * (docs/architecture.md, "Browser sessions").
 */
const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Sent by a page of the console: the browser says same-origin (the console's `/api` rewrite, or
 * a page the API serves itself), or names the configured console origin (a console calling the
 * API on another origin, allowed by CORS).
 */
export function fromConsole(request: FastifyRequest, consoleOrigin: string): boolean {
  return header(request, 'sec-fetch-site') === 'same-origin' || header(request, 'origin') === consoleOrigin;
}

/** A browser that says where the request came from, and it is not the console. */
export function fromForeignPage(request: FastifyRequest, consoleOrigin: string): boolean {
  const declared = header(request, 'sec-fetch-site') !== undefined || header(request, 'origin') !== undefined;
  return declared && !fromConsole(request, consoleOrigin);
}
