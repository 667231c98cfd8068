import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextConfig } from 'next';
import { PHASE_PRODUCTION_SERVER } from 'next/constants';

// Next.js resolves relative imports in next.config.ts from the working directory, not from this
// file, so `next build apps/console` run at the workspace root could not find './src/…'.
// An absolute path works from anywhere, and only require() takes one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { apiInternalUrl } = require(path.join(__dirname, 'src', 'lib', 'api-origin.ts')) as typeof import('./src/lib/api-origin');

/** The Nx workspace root: Turbopack must see libs/* and the hoisted node_modules. */
const workspaceRoot = path.resolve(__dirname, '..', '..');

/**
 * Static security headers for everything the console itself serves. The Content-Security-Policy
 * is not here: it carries a per-request nonce and is set in src/proxy.ts. `/api/*` is excluded
 * because those responses come from the API, which sets its own headers.
 */
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Console URLs carry audit search terms: never send them to another origin.
  { key: 'Referrer-Policy', value: 'same-origin' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  { key: 'X-DNS-Prefetch-Control', value: 'off' },
];

/**
 * `next build` compiles rewrites into .next/routes-manifest.json and `next start` uses that
 * copy, so the API address is fixed at build time. Refuse to start when the environment now
 * points somewhere else, rather than sending browsers to an API that is not there.
 */
function assertApiUrlMatchesBuild(distDir: string, expected: string): void {
  let destinations: string[];
  try {
    const manifest = JSON.parse(readFileSync(path.join(distDir, 'routes-manifest.json'), 'utf8')) as {
      rewrites?: { beforeFiles?: { source: string; destination: string }[] };
    };
    destinations = (manifest.rewrites?.beforeFiles ?? []).filter((r) => r.source === '/api/:path*').map((r) => r.destination);
  } catch {
    return; // no build yet or an unknown manifest shape: `next start` reports a missing build itself
  }
  const built = destinations[0]?.replace(/\/api\/:path\*$/, '');
  if (built && built !== expected) {
    throw new Error(
      `The console was built with API_INTERNAL_URL=${built} but now runs with ${expected}. ` +
        'Rewrites are fixed at build time: rebuild (next build) with the same API_INTERNAL_URL / API_PORT.',
    );
  }
}

export default function config(phase: string): NextConfig {
  const apiUrl = apiInternalUrl();
  // npm start and npm test run the API on different ports, so each keeps its own build.
  const distDir = process.env.CONSOLE_DIST_DIR ?? '.next';
  if (phase === PHASE_PRODUCTION_SERVER) assertApiUrlMatchesBuild(path.join(__dirname, distDir), apiUrl);

  return {
    distDir,
    poweredByHeader: false,
    reactStrictMode: true,
    turbopack: { root: workspaceRoot },
    outputFileTracingRoot: workspaceRoot,
    rewrites: () =>
      // beforeFiles: the API owns /api entirely, no console route may shadow it.
      Promise.resolve({
        beforeFiles: [{ source: '/api/:path*', destination: `${apiUrl}/api/:path*` }],
        afterFiles: [],
        fallback: [],
      }),
    headers: () => Promise.resolve([{ source: '/((?!api/).*)', headers: securityHeaders }]),
  };
}
