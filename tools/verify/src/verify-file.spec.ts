import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase64, encodeBase64, hashLeaf, type ExportVerification } from '@retract/audit-log';
import { buildSyntheticExport, syntheticSigner } from '../../../libs/audit-log/src/testing/synthetic-export';

jest.setTimeout(120_000);

// Worker threads cannot start inside Jest (esbuild refuses Jest's sandboxed globals), so
// one child process verifies every file twice, with two workers and with none, the way
// the CLI does; the two results must be the same.
const REPO = join(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'retract-verify-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Lines of ~700 bytes: 4,000 entries make a few 1 MiB pieces, so entries cross piece boundaries.
const ENTRIES = 4000;
const original = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 500, contentBytes: 200 });
const entryIndex = (lines: string[], seq: number) => lines.findIndex((line) => line.startsWith(`{"type":"entry","seq":${seq},`));

function editLeaf(lines: string[], seq: number, edit: (leaf: Uint8Array) => Uint8Array, rehash = false): string[] {
  const copy = [...lines];
  const i = entryIndex(copy, seq);
  const entry = JSON.parse(copy[i]);
  const leaf = edit(decodeBase64(entry.leaf));
  copy[i] = JSON.stringify({ ...entry, leaf: encodeBase64(leaf), leafHash: rehash ? encodeBase64(hashLeaf(leaf)) : entry.leafHash });
  return copy;
}
const flip = (leaf: Uint8Array) => leaf.map((byte, i) => (i === leaf.length - 10 ? byte ^ 1 : byte));
const withSpace = (leaf: Uint8Array) => Uint8Array.from([leaf[0], 0x20, ...leaf.slice(1)]);
const replaceLine = (lines: string[], seq: number, line: (old: string) => string) => lines.map((old, i) => (i === entryIndex(lines, seq) ? line(old) : old));

const cases: Record<string, { lines: string[]; newline?: string; ok: boolean }> = {
  valid: { lines: original.lines, ok: true },
  crlf: { lines: original.lines, newline: '\r\n', ok: true },
  flipped: { lines: editLeaf(original.lines, 1777, flip), ok: false },
  nonCanonical: { lines: editLeaf(original.lines, 2500, withSpace, true), ok: false },
  deleted: { lines: original.lines.filter((_, i) => i !== entryIndex(original.lines, 3000)), ok: false },
  swapped: {
    lines: original.lines.map((line, i, all) =>
      i === entryIndex(all, 10) ? all[entryIndex(all, 11)] : i === entryIndex(all, 11) ? all[entryIndex(all, 10)] : line,
    ),
    ok: false,
  },
  truncated: { lines: original.lines.filter((line) => !/^\{"type":"entry","seq":39\d\d,/.test(line)), ok: false },
  respacedLine: { lines: replaceLine(original.lines, 1200, (line) => line.replace('"seq":', '"seq": ')), ok: true },
  garbageAndBlankLines: { lines: ['', ...replaceLine(original.lines, 2000, (line) => `${line}\n\ngarbage`)], ok: false },
  afterTrailer: { lines: [...original.lines, original.lines[5]], ok: false },
  entryFirst: { lines: original.lines.slice(1), ok: false },
  resigned: {
    lines: buildSyntheticExport({
      entries: ENTRIES,
      checkpointEvery: 500,
      contentBytes: 200,
      signer: syntheticSigner(9),
      editEntry: (entry) =>
        entry.seq === 1500 ? { ...entry, tenantId: '00000000-0000-4000-8000-000000000000', occurredAt: '2024-01-01T00:00:00.000Z' } : entry,
    }).lines,
    ok: false,
  },
};
const files = Object.fromEntries(
  Object.entries(cases).map(([name, { lines, newline = '\n' }]) => {
    const file = join(dir, `${name}.jsonl`);
    writeFileSync(file, `${lines.join(newline)}${newline}`);
    return [name, file];
  }),
);

// Each file with the trusted key; two also with the export's own keys and a saved checkpoint.
const trusted = { trustedKeys: [original.vkey] };
const ownKeys = { previousCheckpoints: [original.checkpoints[2]] };
const runs = {
  ...Object.fromEntries(Object.entries(files).map(([name, file]) => [name, { file, options: trusted }])),
  'valid, own keys': { file: files.valid, options: ownKeys },
  'resigned, own keys': { file: files.resigned, options: ownKeys },
};

function verifyBothWays(): Promise<Record<string, [parallel: ExportVerification, inThread: ExportVerification]>> {
  const script = `
    const { verifyExportFile } = require(${JSON.stringify(join(__dirname, 'verify-file.ts'))});
    (async () => {
      const runs = ${JSON.stringify(runs)};
      const results = {};
      for (const [name, { file, options }] of Object.entries(runs)) {
        results[name] = [await verifyExportFile(file, { ...options, workers: 2 }), await verifyExportFile(file, { ...options, workers: 0 })];
      }
      process.stdout.write(JSON.stringify(results));
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], {
      cwd: REPO,
      env: { ...process.env, SWC_NODE_PROJECT: join(REPO, 'tsconfig.base.json') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`exit ${code}: ${stderr}`))));
  });
}

describe('verifyExportFile', () => {
  let results: Awaited<ReturnType<typeof verifyBothWays>>;
  beforeAll(async () => {
    results = await verifyBothWays();
  });

  it.each(Object.keys(runs))('gives the same result with and without worker threads: %s', (name) => {
    const [parallel, inThread] = results[name];
    expect(parallel).toEqual(inThread);
    expect(parallel.ok).toBe(cases[name]?.ok ?? name.startsWith('valid'));
  });

  it('finds what each tampering leaves behind', () => {
    const firstBad = (name: string) => [results[name][0].firstBadSeq, results[name][0].problems[0]?.code];
    expect(firstBad('flipped')).toEqual([1777, 'LEAF_HASH_MISMATCH']);
    expect(firstBad('nonCanonical')).toEqual([2500, 'LEAF_INVALID']);
    expect(firstBad('deleted')).toEqual([3000, 'SEQ_GAP']);
    expect(firstBad('swapped')).toEqual([10, 'SEQ_GAP']);
    expect(firstBad('truncated')).toEqual([3900, 'TRUNCATED']);
    expect(results.garbageAndBlankLines[0].problems.map((p) => [p.code, p.line])).toEqual([['LINE_INVALID', entryIndex(original.lines, 2000) + 4]]);
    expect(results.afterTrailer[0].problems.map((p) => p.code)).toEqual(['LINE_INVALID']);
    expect(results.entryFirst[0].problems.map((p) => p.code)).toEqual(['HEADER_INVALID']);
    expect(results.resigned[0].problems.map((p) => p.code)).toEqual(expect.arrayContaining(['TENANT_MISMATCH', 'TIME_REGRESSION', 'CHECKPOINT_UNTRUSTED_KEY']));
    expect(results.valid[0]).toMatchObject({ checked: ENTRIES, checkpointsVerified: 8 });
    expect(results['resigned, own keys'][0].problems.map((p) => p.code)).toEqual(expect.arrayContaining(['CHECKPOINT_UNKNOWN_KEY', 'TENANT_MISMATCH']));
  });
});
