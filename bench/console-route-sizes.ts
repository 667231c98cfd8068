/**
 * First-load JavaScript of every console route, from a production build's manifests (Next 16
 * with Turbopack no longer prints sizes in the build output). For each route: the framework's
 * root chunks plus every chunk its layouts, boundaries and page need before they can hydrate,
 * raw and gzip-compressed (what a browser downloads). Chunks loaded later with import() are not
 * first-load and are listed apart when they are large.
 *
 *   node -r @swc-node/register bench/console-route-sizes.ts [apps/console/.next-test]
 *
 * Without an argument it measures a console build that is current with the sources (npm test's
 * .next-test, npm start's .next, or the benchmarks' own .next-bench), and builds .next-bench
 * when none is. Reports `console.first-load-kb.max` (target ≤ 200 kB gzip) and one figure per route.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildConsole, consoleBuildIsCurrent } from '../tools/runtime/src/stack';
import { reportFigure } from './report';

const CONSOLE_DIR = join(__dirname, '..', 'apps', 'console');
/** The benchmarks' own build; start-warm.bench.ts serves it with the API on this address (fixed at build time). */
const BENCH_DIST = '.next-bench';
const BENCH_API_URL = `http://127.0.0.1:${process.env.BENCH_START_API_PORT ?? 3201}`;

async function currentBuild(): Promise<string> {
  if (process.argv[2]) return process.argv[2];
  for (const distDir of [BENCH_DIST, '.next-test', '.next']) {
    if (consoleBuildIsCurrent({ CONSOLE_DIST_DIR: distDir })) return join(CONSOLE_DIR, distDir);
  }
  console.log(`no console build is current with the sources: building apps/console/${BENCH_DIST}`);
  await buildConsole({ ...process.env, CONSOLE_DIST_DIR: BENCH_DIST, API_INTERNAL_URL: BENCH_API_URL, DATABASE_URL: undefined }, (line) => console.log(line));
  // Keep the build out of git without touching .gitignore: a directory that ignores itself.
  writeFileSync(join(CONSOLE_DIR, BENCH_DIST, '.gitignore'), '*\n');
  return join(CONSOLE_DIR, BENCH_DIST);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function main(dist: string): Promise<void> {
  const sizes = new Map<string, { raw: number; gzip: number }>();
  function size(file: string) {
    let s = sizes.get(file);
    if (!s) {
      const body = readFileSync(join(dist, file));
      s = { raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
      sizes.set(file, s);
    }
    return s;
  }

  function walk(dir: string, out: string[] = []): string[] {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, out);
      else if (name.endsWith('_client-reference-manifest.js')) out.push(path);
    }
    return out;
  }

  const build = JSON.parse(readFileSync(join(dist, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[]; polyfillFiles: string[] };
  const root = build.rootMainFiles;
  const rows: { route: string; files: number; raw: number; gzip: number }[] = [];
  const firstLoad = new Set<string>(root);

  for (const manifestPath of walk(join(dist, 'server', 'app'))) {
    const scope: { __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } = {};
    // Next writes each client reference manifest as a script that assigns to self; running it is the way to read it.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('self', 'globalThis', readFileSync(manifestPath, 'utf8'))(scope, scope);
    for (const [entry, manifest] of Object.entries(scope.__RSC_MANIFEST ?? {})) {
      if (!entry.endsWith('/page')) continue;
      const route = entry.replace(/\/page$/, '').replace(/\/\([^)]+\)/g, '') || '/';
      if (route.startsWith('/_')) continue;
      const files = new Set(root);
      for (const chunks of Object.values(manifest.entryJSFiles)) for (const chunk of chunks) files.add(chunk);
      for (const f of files) firstLoad.add(f);
      const total = [...files].reduce((acc, f) => ({ raw: acc.raw + size(f).raw, gzip: acc.gzip + size(f).gzip }), { raw: 0, gzip: 0 });
      rows.push({ route, files: files.size, ...total });
    }
  }

  const shared = root.reduce((acc, f) => ({ raw: acc.raw + size(f).raw, gzip: acc.gzip + size(f).gzip }), { raw: 0, gzip: 0 });
  console.log(`console build: ${relative(process.cwd(), dist)}`);
  console.log(`${'route'.padEnd(16)} ${'first-load JS (gzip)'.padStart(22)} ${'raw'.padStart(10)}  chunks`);
  for (const row of rows.sort((a, b) => a.route.localeCompare(b.route))) {
    console.log(`${row.route.padEnd(16)} ${kb(row.gzip).padStart(22)} ${kb(row.raw).padStart(10)}  ${row.files}`);
  }
  console.log(`${'shared by all'.padEnd(16)} ${kb(shared.gzip).padStart(22)} ${kb(shared.raw).padStart(10)}  ${root.length}`);

  // Chunks no route loads up front: code split off with import() (e.g. the audit proof checker).
  const lazy = readdirSync(join(dist, 'static', 'chunks'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `static/chunks/${name}`)
    .filter((file) => !firstLoad.has(file) && size(file).raw > 8 * 1024);
  if (lazy.length) {
    console.log('\nloaded on demand (not first-load), larger than 8 kB raw:');
    for (const file of lazy) {
      const body = readFileSync(join(dist, file), 'utf8');
      const what = build.polyfillFiles.includes(file)
        ? 'polyfills (only browsers without ES modules load them)'
        : /ed25519|sha256|hashLeaf|verifyInclusion/i.test(body)
          ? 'audit proof check (hashing, Ed25519)'
          : '';
      console.log(`  ${file.padEnd(40)} ${kb(size(file).gzip).padStart(10)} gzip ${kb(size(file).raw).padStart(10)} raw  ${what}`);
    }
  }

  // Figures for `npm run bench`: the largest route against the budget, and each route on its own.
  if (rows.length === 0) throw new Error(`no console routes found in ${dist}`);
  const toKb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  const largest = rows.reduce((a, b) => (b.gzip > a.gzip ? b : a));
  reportFigure({
    figure: 'console.first-load-kb.max',
    label: `largest first-load JS of any route, gzip (${largest.route})`,
    value: toKb(largest.gzip),
    unit: 'kB',
    target: { op: '<=', value: 200 },
    lowerIsBetter: true,
  });
  for (const row of rows)
    reportFigure({
      figure: `console.first-load-kb[${row.route}]`,
      label: `first-load JS of ${row.route}, gzip`,
      value: toKb(row.gzip),
      unit: 'kB',
      lowerIsBetter: true,
    });
}

currentBuild()
  .then((dist) => {
    if (!existsSync(join(dist, 'build-manifest.json'))) throw new Error(`${dist} is not a console production build (no build-manifest.json)`);
    return main(dist);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
