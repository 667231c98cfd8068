import { parentPort, workerData } from 'node:worker_threads';
import { verifyCheckpoint, type CheckpointVerification } from '../../../libs/audit-log/src/checkpoint';
import { EntryChecker, type EntryProblem } from '../../../libs/audit-log/src/entry-check';
import { decodeBase64Transient } from './base64-transient';
import { splitLines } from './read-lines';
import { sha256Hasher } from './sha256-hasher';

/**
 * A worker thread of the parallel verifier (entry-check-pool.ts): checks the entry lines
 * of the pieces of the export it is sent, and the signatures of checkpoints.
 */
export interface EntryWorkerData {
  readonly tenantId: string;
}

export type WorkerRequest =
  | { readonly id: number; readonly piece: Uint8Array }
  | { readonly id: number; readonly checkpoints: { readonly notes: readonly string[]; readonly keys: readonly string[]; readonly origin: string } };

export type WorkerReply = { readonly id: number; readonly checked: CheckedPiece } | { readonly id: number; readonly verifications: CheckpointVerification[] };

/**
 * A piece of the export after the checks: per line either the text (lines the verifier
 * reads itself: checkpoints, the trailer, anything unusual) or the checked entry, packed
 * into a few arrays so that the message stays cheap to copy.
 */
export interface CheckedPiece {
  /** Per line: its text, or null for a checked entry (the next one in the arrays below). */
  readonly texts: (string | null)[];
  readonly seqs: Float64Array;
  /** 32 bytes per checked entry. */
  readonly leafHashes: Uint8Array;
  readonly occurredAt: (string | undefined)[];
  /** Entries with problems: [index among the checked entries, problems]. */
  readonly problems: [number, readonly EntryProblem[]][];
}

export function checkPiece(checker: EntryChecker, bytes: Uint8Array): CheckedPiece {
  const texts: (string | null)[] = [];
  const seqs: number[] = [];
  const hashes: Uint8Array[] = [];
  const occurredAt: (string | undefined)[] = [];
  const problems: [number, readonly EntryProblem[]][] = [];
  for (const line of splitLines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    const checked = checker.checkLine(line);
    if (!checked) {
      texts.push(line);
      continue;
    }
    if (checked.problems.length > 0) problems.push([seqs.length, checked.problems]);
    texts.push(null);
    seqs.push(checked.seq);
    hashes.push(checked.leafHash);
    occurredAt.push(checked.occurredAt);
  }
  const leafHashes = new Uint8Array(hashes.length * 32);
  hashes.forEach((hash, i) => leafHashes.set(hash, i * 32));
  return { texts, seqs: Float64Array.from(seqs), leafHashes, occurredAt, problems };
}

/** The worker thread's main. */
export function serveEntryChecks(): void {
  const port = parentPort;
  if (!port) throw new Error('serveEntryChecks runs in a worker thread');
  const checker = new EntryChecker(sha256Hasher, (workerData as EntryWorkerData).tenantId, decodeBase64Transient);
  port.on('message', (request: WorkerRequest) => {
    if ('piece' in request) {
      const checked = checkPiece(checker, request.piece);
      const reply: WorkerReply = { id: request.id, checked };
      port.postMessage(reply, [checked.seqs.buffer as ArrayBuffer, checked.leafHashes.buffer as ArrayBuffer]);
    } else {
      const { notes, keys, origin } = request.checkpoints;
      const reply: WorkerReply = { id: request.id, verifications: notes.map((note) => verifyCheckpoint(note, keys, { origin })) };
      port.postMessage(reply);
    }
  });
}
