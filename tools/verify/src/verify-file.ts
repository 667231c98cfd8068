import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  collectCheckpointNotes,
  createAuditLog,
  formatVerifierKey,
  parseVerifierKey,
  verifyCheckpoint,
  type CheckpointVerification,
  type ExportHeader,
  type ExportVerification,
  type VerifyExportOptions,
} from '@retract/audit-log';
import { EntryCheckPool } from './entry-check-pool';
import { entryWorkerCode } from './entry-worker-code';
import { checkedExportLines, plainExportLines, readToHeader } from './parallel-lines';
import { linesContaining, readLines } from './read-lines';
import { sha256Hasher } from './sha256-hasher';

// Below this size worker start-up (~0.1 s) costs more than it saves.
const PARALLEL_FROM_BYTES = 8 * 1024 * 1024;
const MAX_WORKERS = 4;

const { verifyExport } = createAuditLog(sha256Hasher);

export interface VerifyFileOptions extends Omit<VerifyExportOptions, 'exportCheckpoints' | 'verifyCheckpoint'> {
  /** Worker threads checking entries; 0 checks them in this thread. Default: one per core for exports of 8 MiB and more. */
  readonly workers?: number;
}

/**
 * Verifies an export file the way `verify` does: a byte-level pre-scan collects the
 * export's checkpoints, so that the one streaming pass can check each where the tree
 * reaches its size. With workers, the checkpoint signatures are checked in parallel
 * before the pass and the entry lines during it; the pass itself (verifyExport) does
 * the rest in this thread.
 */
export async function verifyExportFile(file: string, options: VerifyFileOptions = {}): Promise<ExportVerification> {
  const workers = options.workers ?? defaultWorkers(file);
  const workerCode = workers > 0 ? entryWorkerCode() : Promise.resolve(undefined);
  const opening = workers > 0 ? await readToHeader(file) : undefined;
  const header = opening?.header;
  const code = await workerCode;
  if (!opening || !header || !code) {
    const exportCheckpoints = await collectCheckpointNotes(linesContaining(file, '"checkpoint"'));
    return verifyExport(opening ? plainExportLines(opening) : readLines(file), { ...options, exportCheckpoints });
  }

  // Workers start while this thread runs the pre-scan.
  const pool = new EntryCheckPool(code, workers, { tenantId: header.tenantId });
  try {
    const exportCheckpoints = await collectCheckpointNotes(linesContaining(file, '"checkpoint"'));
    const checked = await checkSignaturesInParallel(pool, [...exportCheckpoints, ...(options.previousCheckpoints ?? [])], options, header);
    return await verifyExport(checkedExportLines(opening, pool), { ...options, exportCheckpoints, verifyCheckpoint: checked });
  } finally {
    await opening.rest.return(undefined);
    await pool.close();
  }
}

/**
 * verifyCheckpoint for the keys and origin that verifyExport will check the notes with
 * (the trusted keys, else the header's), worked out by the workers; other arguments
 * (the run also asks about header keys when a note fails) are checked when asked.
 */
async function checkSignaturesInParallel(
  pool: EntryCheckPool,
  notes: readonly string[],
  options: VerifyFileOptions,
  header: ExportHeader,
): Promise<NonNullable<VerifyExportOptions['verifyCheckpoint']>> {
  // Parsed here, so that a malformed trusted key fails as verifyExport would fail.
  const keys = (options.trustedKeys?.length ? options.trustedKeys : header.publicKeys.map((key) => key.vkey)).map((key) => formatVerifierKey(parseVerifierKey(key)));
  const keyOf = (note: string, keys: readonly string[], origin: string | undefined) => JSON.stringify([note, keys, origin]);
  const verifications = await pool.verifyCheckpoints(notes, keys, header.origin);
  const known = new Map<string, CheckpointVerification>(notes.map((note, i) => [keyOf(note, keys, header.origin), verifications[i]]));
  return (note, keys, checkOptions) => known.get(keyOf(note, keys.map(formatVerifierKey), checkOptions.origin)) ?? verifyCheckpoint(note, keys, checkOptions);
}

function defaultWorkers(file: string): number {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return 0; // reading it reports the problem
  }
  return size >= PARALLEL_FROM_BYTES ? Math.min(availableParallelism(), MAX_WORKERS) : 0;
}
