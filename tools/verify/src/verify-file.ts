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
// Checkpoint notes found by the pre-scan go to the workers in groups of this many.
const NOTES_PER_REQUEST = 16;

const { verifyExport } = createAuditLog(sha256Hasher);

export interface VerifyFileOptions extends Omit<VerifyExportOptions, 'exportCheckpoints' | 'verifyCheckpoint'> {
  /** Worker threads checking entries; 0 checks them in this thread. Default: one per core for exports of 8 MiB and more. */
  readonly workers?: number;
}

/**
 * Verifies an export file the way `verify` does: a byte-level pre-scan collects the
 * export's checkpoints, so that the one streaming pass can check each where the tree
 * reaches its size. With workers, the pass's entry lines are checked in the workers, and
 * so are the checkpoint signatures, while the pre-scan still runs; the pass itself
 * (verifyExport) does the rest in this thread.
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

  const pool = new EntryCheckPool(code, workers, { tenantId: header.tenantId });
  const lines = checkedExportLines(opening, pool);
  // Runs up to the first yield: the first pieces go to the workers, which warm up on them.
  const first = lines.next();
  first.catch(() => undefined); // awaited below
  try {
    const signatures = new SignatureChecks(pool, options, header);
    for (const note of options.previousCheckpoints ?? []) signatures.add(note);
    const exportCheckpoints = await collectCheckpointNotes(linesContaining(file, '"checkpoint"'), (note) => signatures.add(note));
    const verifyCheckpoint = await signatures.done();
    return await verifyExport(resumed(first, lines), { ...options, exportCheckpoints, verifyCheckpoint });
  } finally {
    await lines.return(undefined);
    await opening.rest.return(undefined);
    await pool.close();
  }
}

async function* resumed<T>(first: Promise<IteratorResult<T>>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  const next = await first;
  if (next.done) return;
  yield next.value;
  yield* rest;
}

/**
 * verifyCheckpoint for the keys and origin that verifyExport will check notes with (the
 * trusted keys, else the header's), worked out by the workers as notes are found; other
 * questions (the run also asks about header keys when a note fails) are answered here.
 */
class SignatureChecks {
  private readonly keys: string[];
  private readonly pending: Promise<void>[] = [];
  private readonly known = new Map<string, CheckpointVerification>();
  private group: string[] = [];

  constructor(
    private readonly pool: EntryCheckPool,
    options: VerifyFileOptions,
    private readonly header: ExportHeader,
  ) {
    // Parsed here, so that a malformed trusted key fails as verifyExport would fail.
    this.keys = (options.trustedKeys?.length ? options.trustedKeys : header.publicKeys.map((key) => key.vkey)).map((key) =>
      formatVerifierKey(parseVerifierKey(key)),
    );
  }

  add(note: string): void {
    this.group.push(note);
    if (this.group.length >= NOTES_PER_REQUEST * this.pool.size) this.send();
  }

  async done(): Promise<NonNullable<VerifyExportOptions['verifyCheckpoint']>> {
    this.send();
    await Promise.all(this.pending);
    return (note, keys, checkOptions) =>
      this.known.get(keyOf(note, keys.map(formatVerifierKey), checkOptions.origin)) ?? verifyCheckpoint(note, keys, checkOptions);
  }

  private send(): void {
    const notes = this.group;
    this.group = [];
    if (notes.length === 0) return;
    const { keys, header } = this;
    const verified = this.pool.verifyCheckpoints(notes, keys, header.origin).then((verifications) => {
      notes.forEach((note, i) => this.known.set(keyOf(note, keys, header.origin), verifications[i]));
    });
    verified.catch(() => undefined); // awaited in done()
    this.pending.push(verified);
  }
}

const keyOf = (note: string, keys: readonly string[], origin: string | undefined) => JSON.stringify([note, keys, origin]);

function defaultWorkers(file: string): number {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return 0; // reading it reports the problem
  }
  return size >= PARALLEL_FROM_BYTES ? Math.min(availableParallelism(), MAX_WORKERS) : 0;
}
