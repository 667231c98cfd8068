import { parseExportLine, type ExportHeader } from '@retract/audit-log';
import type { CheckedEntry, EntryProblem } from '../../../libs/audit-log/src/entry-check';
import type { VerifyExportInput, VerifyExportLine } from '../../../libs/audit-log/src/verify-export';
import type { EntryCheckPool } from './entry-check-pool';
import type { CheckedPiece } from './entry-worker';
import { readLineChunks, splitLines } from './read-lines';

// Pieces (about 1 MiB each) sent to a worker and not yet taken by the verifier: keeps
// every worker busy while bounding memory.
const PIECES_IN_FLIGHT_PER_WORKER = 3;
const NO_PROBLEMS: readonly EntryProblem[] = Object.freeze([]);

/** An export file read up to its header: the lines so far, the header if it is one, and the rest. */
export interface ExportOpening {
  readonly head: string[];
  readonly header: ExportHeader | undefined;
  readonly rest: AsyncGenerator<Buffer>;
}

/**
 * Reads the pieces (readLineChunks) that hold the first non-empty line, which
 * `verifyExport` takes as the header. Workers need its tenant to check entries.
 */
export async function readToHeader(file: string): Promise<ExportOpening> {
  const rest = readLineChunks(file);
  const head: string[] = [];
  let first: string | undefined;
  // Not `for await`: leaving that loop early would close the file.
  while (first === undefined) {
    const next = await rest.next();
    if (next.done) break;
    for (const line of splitLines(next.value)) {
      if (first === undefined && line !== '') first = line;
      head.push(line);
    }
  }
  return { head, header: first === undefined ? undefined : parseHeader(first), rest };
}

function parseHeader(line: string): ExportHeader | undefined {
  try {
    const parsed = parseExportLine(line);
    return parsed.type === 'header' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The lines of an export for `verifyExport`, in file order and in batches of one piece:
 * the head as text, then every later piece with its entry lines checked by the pool's
 * workers. Everything that depends on the order of lines (seqs, the tree, checkpoints,
 * time order) stays with `verifyExport`.
 */
export async function* checkedExportLines(opening: ExportOpening, pool: EntryCheckPool): AsyncGenerator<VerifyExportInput> {
  const { rest } = opening;
  const inFlight: Promise<CheckedPiece>[] = [];
  let more = true;
  // Reads and sends pieces until enough are in flight; runs beside the verifier, one at a time.
  const send = async () => {
    while (more && inFlight.length < pool.size * PIECES_IN_FLIGHT_PER_WORKER) {
      const next = await rest.next();
      if (next.done) more = false;
      else inFlight.push(pool.checkPiece(next.value));
    }
  };
  let sending = send();
  sending.catch(() => undefined); // a failure surfaces where `sending` is awaited
  try {
    await sending;
    yield opening.head;
    for (;;) {
      if (inFlight.length === 0) await sending;
      const checked = inFlight.shift();
      if (!checked) break;
      const piece = await checked;
      sending = sending.then(send);
      sending.catch(() => undefined); // a failure surfaces where `sending` is awaited
      yield unpack(piece);
    }
  } finally {
    await sending.catch(() => undefined);
    await rest.return(undefined);
  }
}

/** The same lines as text, for an export that does not start with a header (verifyExport stops at once). */
export async function* plainExportLines(opening: ExportOpening): AsyncGenerator<VerifyExportInput> {
  yield opening.head;
  for await (const piece of opening.rest) yield [...splitLines(piece)];
}

function unpack(piece: CheckedPiece): VerifyExportLine[] {
  const problems = new Map(piece.problems);
  const lines: VerifyExportLine[] = [];
  let k = 0;
  for (const text of piece.texts) {
    if (text !== null) {
      lines.push(text);
      continue;
    }
    const entry: CheckedEntry = {
      seq: piece.seqs[k],
      leafHash: piece.leafHashes.slice(k * 32, k * 32 + 32),
      problems: problems.get(k) ?? NO_PROBLEMS,
      occurredAt: piece.occurredAt[k],
    };
    lines.push(entry);
    k++;
  }
  return lines;
}
