/**
 * Offline verifier throughput against raw SHA-256.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register bench/verifier.bench.ts [entries]
 *
 * Writes a synthetic export (default 200,000 entries, a checkpoint every 1,000) to a temp
 * dir, verifies it the way `verify` does (checkpoint pre-scan, then one streaming pass),
 * then hashes the same leaves once each with node:crypto, and prints plain numbers.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectCheckpointNotes, decodeBase64, nobleHasher, parseExportLine, verifyExport } from '@retract/audit-log';
import { syntheticExportLines, syntheticSigner } from '../libs/audit-log/src/testing/synthetic-export';
import { linesContaining, readLines } from '../tools/verify/src/read-lines';

const ENTRIES = Number(process.argv[2] ?? 200_000);
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

    // As the CLI: pre-scan for checkpoints, then the streaming verification.
    let peakHeap = 0;
    started = performance.now();
    const exportCheckpoints = await collectCheckpointNotes(linesContaining(file, '"checkpoint"'));
    const prescanMs = performance.now() - started;
    const result = await verifyExport(readLines(file), {
      exportCheckpoints,
      onProgress: () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)),
    });
    const verifyMs = performance.now() - started;
    if (!result.ok) throw new Error(`benchmark export did not verify: ${result.problems[0]?.message}`);
    console.log(`verifier: ${seconds(verifyMs)} s (checkpoint pre-scan ${seconds(prescanMs)} s), ${result.checkpointsVerified} checkpoints`);
    console.log(`verifier entries/s: ${perSecond(ENTRIES, verifyMs)}`);
    console.log(`verifier MB/s: ${mbPerSecond(fileBytes, verifyMs)}`);
    console.log(`verifier peak heap MB: ${(peakHeap / 1e6).toFixed(1)}`);

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
    console.log(`leaf bytes: ${(leafBytes / 1e6).toFixed(1)} MB, mean leaf ${Math.round(leafBytes / leaves.length)} bytes`);
    console.log(`raw node:crypto sha256 leaves/s: ${perSecond(leaves.length, rawMs)}`);
    console.log(`raw node:crypto sha256 MB/s: ${mbPerSecond(leafBytes, rawMs)}`);
    console.log(`ratio verifier/raw (entries/s): ${(perSecond(ENTRIES, verifyMs) / perSecond(leaves.length, rawMs)).toFixed(3)}`);

    started = performance.now();
    for (const leaf of leaves) nobleHasher.sha256(prefix, leaf);
    const nobleMs = performance.now() - started;
    console.log(`raw @noble/hashes sha256 leaves/s (browser hasher): ${perSecond(leaves.length, nobleMs)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
