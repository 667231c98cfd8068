/**
 * Offline verifier throughput against raw SHA-256.
 *
 *   npm run bench:verify                      # 200,000 entries
 *   BENCH_VERIFY_ENTRIES=50000 npm run bench:verify
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/verifier.bench.ts [entries]
 *
 * Writes a synthetic export (a checkpoint every 1,000 entries) to a temp dir, verifies it
 * exactly as `verify` does (verifyExportFile: checkpoint pre-scan, then one streaming
 * pass with entry checks in worker threads), then hashes the same leaves once each with
 * node:crypto in this thread, and prints plain numbers and BENCH figures (bench/report.ts).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeBase64, nobleHasher, parseExportLine } from '@retract/audit-log';
import { syntheticExportLines, syntheticSigner } from '../libs/audit-log/src/testing/synthetic-export';
import { readLines } from '../tools/verify/src/read-lines';
import { verifyExportFile } from '../tools/verify/src/verify-file';
import { reportFigure } from './report';

const ENTRIES = Number(process.argv[2] ?? process.env.BENCH_VERIFY_ENTRIES ?? 200_000);
const CHECKPOINT_EVERY = 1_000;

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const mbPerSecond = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'retract-verifier-bench-'));
  const file = join(dir, 'export.jsonl');
  try {
    const signer = syntheticSigner();
    let started = performance.now();
    const out = createWriteStream(file);
    for (const line of syntheticExportLines({ entries: ENTRIES, checkpointEvery: CHECKPOINT_EVERY, contentBytes: 256, signer })) {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const fileBytes = statSync(file).size;
    console.log(`export: ${ENTRIES} entries, ${(fileBytes / 1e6).toFixed(1)} MB, written in ${seconds(performance.now() - started)} s`);

    let peakHeap = 0;
    let peakRss = 0;
    const sampleMemory = () => {
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakRss = Math.max(peakRss, usage.rss);
    };
    started = performance.now();
    const result = await verifyExportFile(file, { onProgress: sampleMemory });
    const verifyMs = performance.now() - started;
    if (!result.ok) throw new Error(`benchmark export did not verify: ${result.problems[0]?.message}`);
    const verifierRate = perSecond(ENTRIES, verifyMs);
    console.log(`verifier: ${seconds(verifyMs)} s (checkpoint pre-scan included), ${result.checkpointsVerified} checkpoints, ${availableParallelism()} cores`);
    console.log(`verifier entries/s: ${verifierRate}`);
    console.log(`verifier MB/s: ${mbPerSecond(fileBytes, verifyMs)}`);
    console.log(`verifier peak heap MB (main thread): ${(peakHeap / 1e6).toFixed(1)}, peak RSS MB (process): ${(peakRss / 1e6).toFixed(1)}`);

    // The same leaf bytes, hashed once each (RFC 9162 leaf hash), nothing else.
    const leaves: Uint8Array[] = [];
    for await (const line of readLines(file)) {
      const parsed = parseExportLine(line);
      if (parsed.type === 'entry') leaves.push(decodeBase64(parsed.leaf));
    }
    const leafBytes = leaves.reduce((sum, leaf) => sum + leaf.length, 0);
    const prefix = new Uint8Array([0]);
    started = performance.now();
    for (const leaf of leaves) createHash('sha256').update(prefix).update(leaf).digest();
    const rawMs = performance.now() - started;
    const rawRate = perSecond(leaves.length, rawMs);
    console.log(`leaf bytes: ${(leafBytes / 1e6).toFixed(1)} MB, mean leaf ${Math.round(leafBytes / leaves.length)} bytes`);
    console.log(`raw node:crypto sha256 leaves/s: ${rawRate}`);
    console.log(`raw node:crypto sha256 MB/s: ${mbPerSecond(leafBytes, rawMs)}`);
    console.log(`ratio verifier/raw (entries/s): ${(verifierRate / rawRate).toFixed(3)}`);

    started = performance.now();
    for (const leaf of leaves) nobleHasher.sha256(prefix, leaf);
    const nobleMs = performance.now() - started;
    console.log(`raw @noble/hashes sha256 leaves/s (browser hasher): ${perSecond(leaves.length, nobleMs)}`);

    reportFigure({
      figure: 'verify.entries-per-second',
      label: `offline verifier, synthetic export of ${ENTRIES.toLocaleString('en')} entries`,
      value: verifierRate,
      unit: 'entries/s',
      baseline: { label: 'raw node:crypto SHA-256 of the same leaves, leaves/s', value: rawRate },
      target: { op: '>=', value: 0.5 },
    });
    reportFigure({
      figure: 'verify.peak-heap-mb',
      label: 'offline verifier, peak JS heap of the main thread while verifying',
      value: Number((peakHeap / 1e6).toFixed(1)),
      unit: 'MB',
      lowerIsBetter: true,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
