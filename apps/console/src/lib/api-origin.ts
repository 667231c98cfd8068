/**
 * Where the console reaches the API from its own server. Read by the `/api` rewrite
 * (next.config.ts) and by server-side fetches (src/lib/api.ts). Never sent to the browser:
 * the browser only talks to the console origin.
 */
export function apiInternalUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.API_INTERNAL_URL?.trim();
  const url = explicit || `http://127.0.0.1:${env.API_PORT?.trim() || '3001'}`;
  return url.replace(/\/+$/, '');
}
