/**
 * The console as one proxy hop in front of the API (docs/architecture.md, "Client addresses").
 * Next.js's `/api` rewrite forwards the browser's own X-Forwarded-For untouched and adds nothing,
 * so on its own it would pass on whatever a browser claims. The console's server (server.ts)
 * therefore appends the address of whoever connected to it; an API run with TRUST_PROXY_HOPS=1
 * believes that last entry and nothing before it.
 */
export function withForwardedFor(received: string | string[] | undefined, peer: string | undefined): string {
  const before = (Array.isArray(received) ? received.join(', ') : (received ?? '')).trim();
  // A socket already gone has no address; 'unknown' still keeps the browser's last claim from being believed.
  const connected = peer ?? 'unknown';
  return before ? `${before}, ${connected}` : connected;
}
