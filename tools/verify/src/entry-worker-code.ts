let bundle: Promise<string | undefined> | undefined;

/**
 * The source of entry-worker.ts and everything it imports, as one CommonJS script for
 * `new Worker(code, { eval: true })`; undefined when it cannot be built (then the
 * verifier checks entries in the main thread).
 *
 * A worker thread cannot load our TypeScript the way the main thread does:
 * @swc-node/register loads the TypeScript compiler first (over half a second per
 * thread on the development machine) and @swc/core crashes in worker threads. esbuild
 * (installed with tsx) bundles the worker in ~50 ms, once per process, and the worker
 * starts in ~50 ms.
 */
export function entryWorkerCode(): Promise<string | undefined> {
  bundle ??= build().catch(() => undefined);
  return bundle;
}

async function build(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: "require('./entry-worker').serveEntryChecks();", resolveDir: __dirname, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
