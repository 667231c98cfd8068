/**
 * First-load JavaScript of every console route, from a production build's manifests (Next 16
 * with Turbopack no longer prints sizes in the build output). For each route: the framework's
 * root chunks plus every chunk its layouts, boundaries and page need before they can hydrate,
 * raw and gzip-compressed (what a browser downloads). Chunks loaded later with import() are not
 * first-load and are listed apart when they are large.
 *
 *   node -r @swc-node/register bench/console-route-sizes.ts [apps/console/.next-test]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? join(__dirname, '..', 'apps', 'console', '.next-test');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

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
    const what = build.polyfillFiles.includes(file) ? 'polyfills (only browsers without ES modules load them)' : /ed25519|sha256|hashLeaf|verifyInclusion/i.test(body) ? 'audit proof check (hashing, Ed25519)' : '';
    console.log(`  ${file.padEnd(40)} ${kb(size(file).gzip).padStart(10)} gzip ${kb(size(file).raw).padStart(10)} raw  ${what}`);
  }
}
