import { encodeBase64 } from './base64';
import { bytesEqual } from './bytes';
import { verifyCheckpoint, type Checkpoint, type CheckpointVerification } from './checkpoint';
import { appendToFrontier, frontierRoot, parseFrontier, type Frontier } from './compact-range';
import { EntryChecker, type CheckedEntry } from './entry-check';
import { AuditLogError } from './errors';
import { parseExportLine, type ExportHeader, type ExportLine } from './export-format';
import type { Hasher } from './hash';
import { headerKeys } from './header-keys';
import { formatVerifierKey, parseVerifierKey, type NoteVerifierKey } from './signed-note';

export type ExportProblemCode =
  | 'HEADER_INVALID'
  | 'LINE_INVALID'
  | 'SEQ_GAP'
  | 'SEQ_OUT_OF_ORDER'
  | 'ENTRY_OUT_OF_RANGE'
  | 'LEAF_HASH_MISMATCH'
  | 'LEAF_HASH_INVALID'
  | 'LEAF_INVALID'
  | 'LEAF_SEQ_MISMATCH'
  | 'TENANT_MISMATCH'
  | 'TIME_REGRESSION'
  | 'HEADER_KEY_NOT_TRUSTED'
  | 'CHECKPOINT_INVALID'
  | 'CHECKPOINT_BAD_SIGNATURE'
  | 'CHECKPOINT_UNTRUSTED_KEY'
  | 'CHECKPOINT_UNKNOWN_KEY'
  | 'CHECKPOINT_WRONG_ORIGIN'
  | 'CHECKPOINT_ROOT_MISMATCH'
  | 'CHECKPOINT_FORK'
  | 'CHECKPOINT_NOT_REACHED'
  | 'TRUNCATED'
  | 'TRAILER_MISMATCH'
  | 'UNSIGNED_ENTRIES'
  | 'TOO_MANY_PROBLEMS';

export type ExportWarningCode = 'KEYS_NOT_PINNED' | 'CHECKPOINT_BEFORE_RANGE' | 'CHECKPOINT_NOT_CHECKED';

export interface ExportProblem {
  readonly code: ExportProblemCode;
  readonly message: string;
  /** The entry the problem is about, when there is one. */
  readonly seq?: number;
  /** 1-based line of the export, when the problem is about one line. */
  readonly line?: number;
}

export interface ExportWarning {
  readonly code: ExportWarningCode;
  readonly message: string;
}

export interface VerifyProgress {
  readonly entries: number;
  /** From the header's seq range. */
  readonly expectedEntries: number;
}

export interface VerifyExportOptions {
  /** Verifier keys the caller trusts (e.g. published by the API earlier). Without them the export's own keys are used. */
  readonly trustedKeys?: readonly string[];
  /** Checkpoint notes saved earlier (from a witness, a previous export); each is checked against this export. */
  readonly previousCheckpoints?: readonly string[];
  /**
   * The export's own checkpoint notes, collected beforehand with `collectCheckpointNotes`.
   * A single streaming pass can only check a checkpoint it has seen by the time the
   * rebuilt tree reaches its size; this lets checkpoints sit anywhere in the file.
   */
  readonly exportCheckpoints?: readonly string[];
  /** Called every few thousand entries and once at the end. */
  readonly onProgress?: (progress: VerifyProgress) => void;
  /** Problems listed in full (default 1000); the verdict and firstBadSeq always account for all of them. */
  readonly maxProblems?: number;
  /**
   * How a checkpoint note is checked (form, origin, signatures): `verifyCheckpoint` unless
   * given. Lets a caller use results it worked out beforehand, e.g. in parallel; they must
   * be what `verifyCheckpoint` returns for the same arguments.
   */
  readonly verifyCheckpoint?: (note: string, keys: readonly NoteVerifierKey[], options: { readonly origin?: string }) => CheckpointVerification;
}

export interface ExportVerification {
  readonly ok: boolean;
  /** Entry lines checked. */
  readonly checked: number;
  /** Size of the tree rebuilt from the header frontier and the entries. */
  readonly treeSize: number;
  /** base64 root of the rebuilt tree. */
  readonly rootHash?: string;
  /**
   * Lowest seq that is bad or, failing direct evidence, that nothing authenticates. When
   * only a checkpoint root mismatch shows tampering, the lowest seq after the last
   * checkpoint that matched.
   */
  readonly firstBadSeq?: number;
  readonly problems: readonly ExportProblem[];
  readonly warnings: readonly ExportWarning[];
  /** Checkpoints whose signature verified and whose root matched the rebuilt tree. */
  readonly checkpointsVerified: number;
  /** Largest size among checkpoints whose root matched. */
  readonly verifiedSize?: number;
  readonly header?: ExportHeader;
  /** Verifier keys the checkpoints were checked against. */
  readonly keysUsed: readonly string[];
}

/**
 * One line of the export as `verifyExport` reads it: the text, or an entry line that an
 * `EntryChecker` for the header's tenant has already checked (e.g. in a worker thread).
 * A checked entry is taken as it is: only the caller that ran the checker vouches for it.
 */
export type VerifyExportLine = string | CheckedEntry;
/** Lines one at a time or in batches (a batch saves a promise per line when they arrive asynchronously). */
export type VerifyExportInput = VerifyExportLine | readonly VerifyExportLine[];

const PROGRESS_EVERY = 4096;

/**
 * Streams an export (see README.md) and checks, in O(log n) memory: each leaf is a
 * canonical v1 leaf of the header's tenant whose seq is its position; seqs are gap-free
 * and in order; stored leaf hashes match; occurredAt never goes back; every checkpoint is
 * signed by an accepted key, names this log, and matches the root rebuilt at its size;
 * the export is not shorter than any authenticated checkpoint (its own or saved ones).
 *
 * The checks of an entry line that need only the line (base64, leaf hash, the leaf
 * itself) are `EntryChecker`'s; everything that depends on the lines before (seq order,
 * the tree, checkpoints, time order) happens here, in line order.
 */
export async function verifyExport(
  hasher: Hasher,
  lines: AsyncIterable<VerifyExportInput> | Iterable<VerifyExportInput>,
  options: VerifyExportOptions = {},
): Promise<ExportVerification> {
  // An empty list means "none given" (as when a CLI flag is absent), not "trust nothing".
  const trustedKeys = options.trustedKeys?.length ? options.trustedKeys.map(parseVerifierKey) : undefined;
  const run = new ExportVerifierRun(hasher, trustedKeys, options);
  let lineNumber = 0;
  const acceptOne = (line: VerifyExportLine) => {
    lineNumber++;
    return line === '' || run.acceptLine(line, lineNumber);
  };
  const accept = (input: VerifyExportInput) => {
    if (!isBatch(input)) return acceptOne(input);
    for (const line of input) if (!acceptOne(line)) return false;
    return true;
  };
  // Awaiting each line of an in-memory export would only add a microtask per entry.
  if (isSyncIterable(lines)) {
    for (const input of lines) if (!accept(input)) break;
  } else {
    for await (const input of lines) if (!accept(input)) break;
  }
  return run.finish();
}

function isBatch(input: VerifyExportInput): input is readonly VerifyExportLine[] {
  return Array.isArray(input);
}

function isSyncIterable<T>(value: AsyncIterable<T> | Iterable<T>): value is Iterable<T> {
  return typeof (value as Iterable<T>)[Symbol.iterator] === 'function';
}

/**
 * Pre-scan: the checkpoint notes of an export, in file order; other lines are skipped
 * unparsed. `onNote` sees each note as soon as it is found.
 */
export async function collectCheckpointNotes(lines: AsyncIterable<string> | Iterable<string>, onNote?: (note: string) => void): Promise<string[]> {
  const notes: string[] = [];
  for await (const line of lines) {
    if (!line.includes('"checkpoint"')) continue;
    try {
      const parsed = parseExportLine(line);
      if (parsed.type !== 'checkpoint') continue;
      notes.push(parsed.note);
      onNote?.(parsed.note);
    } catch {
      // reported by verifyExport's own pass
    }
  }
  return notes;
}

interface AuthenticatedCheckpoint {
  readonly label: string;
  readonly checkpoint: Checkpoint;
}

class ExportVerifierRun {
  private header: ExportHeader | undefined;
  private entryChecker: EntryChecker | undefined;
  private acceptedKeys: readonly NoteVerifierKey[] = [];
  private headerKeys: readonly NoteVerifierKey[] = [];
  private frontier: Frontier = { size: 0, hashes: [] };
  private checked = 0;
  private nextSeq = 0;
  private previousOccurredAt: string | undefined;
  private trailerEntries: number | undefined;
  private headerFailed = false;

  private readonly problems: ExportProblem[] = [];
  private problemCount = 0;
  private readonly warnings: ExportWarning[] = [];
  // firstBadSeq: lowest seq with direct evidence; otherwise lowest seq nothing vouches for.
  private lowestEvidenceSeq: number | undefined;
  private lowestUnvouchedSeq: number | undefined;
  // Tree position of the latest problem about an entry: lets a root mismatch tell whether
  // an entry problem already explains it.
  private latestEntryProblemPosition = -1;

  private readonly seenNotes = new Set<string>();
  private readonly pendingBySize = new Map<number, AuthenticatedCheckpoint[]>();
  private readonly authenticatedRootsBySize = new Map<number, AuthenticatedCheckpoint>();
  private newestAuthenticated: AuthenticatedCheckpoint | undefined;
  // Sizes whose root matched, ascending (roots are compared as the tree grows); few, one per checkpoint.
  private readonly matchedSizes: number[] = [];
  private checkpointsVerified = 0;
  private rejectedForKey = 0;
  private readonly verifyCheckpoint: NonNullable<VerifyExportOptions['verifyCheckpoint']>;

  constructor(
    private readonly hasher: Hasher,
    private readonly trustedKeys: readonly NoteVerifierKey[] | undefined,
    private readonly options: VerifyExportOptions,
  ) {
    this.verifyCheckpoint = options.verifyCheckpoint ?? verifyCheckpoint;
  }

  /** Returns false when nothing more can be checked. */
  acceptLine(line: VerifyExportLine, lineNumber: number): boolean {
    if (!this.header) return this.acceptHeader(line, lineNumber);
    const checker = this.entryChecker as EntryChecker;
    // Most lines are entries written as the exporter writes them: checked without parsing.
    let checked = typeof line === 'string' ? checker.checkLine(line) : line;
    let parsed: ExportLine | undefined;
    if (!checked) {
      try {
        parsed = parseExportLine(line as string);
      } catch (error) {
        this.problem({ code: 'LINE_INVALID', line: lineNumber, message: `line ${lineNumber}: ${(error as Error).message}` });
        return true;
      }
    }
    if (this.trailerEntries !== undefined) {
      this.problem({ code: 'LINE_INVALID', line: lineNumber, message: `line ${lineNumber}: content after the trailer` });
      return true;
    }
    if (parsed?.type === 'entry') checked = checker.checkEntry(parsed);
    if (checked) {
      this.acceptEntry(checked, lineNumber);
      return true;
    }
    switch (parsed?.type) {
      case 'checkpoint':
        this.acceptCheckpoint(parsed.note, `checkpoint on line ${lineNumber}`);
        break;
      case 'trailer':
        this.trailerEntries = parsed.entries;
        break;
      case 'header':
        this.problem({ code: 'LINE_INVALID', line: lineNumber, message: `line ${lineNumber}: a second header` });
        break;
    }
    return true;
  }

  private acceptHeader(line: VerifyExportLine, lineNumber: number): boolean {
    let header: ExportHeader;
    try {
      const parsed = typeof line === 'string' ? parseExportLine(line) : undefined;
      if (parsed?.type !== 'header') throw new AuditLogError('EXPORT_LINE_INVALID', `the first line is a ${parsed?.type ?? 'entry'}, not the header`);
      header = parsed;
    } catch (error) {
      this.headerFailed = true;
      this.problem({ code: 'HEADER_INVALID', line: lineNumber, message: `not an audit export: ${(error as Error).message}` });
      return false;
    }
    this.header = header;
    this.entryChecker = new EntryChecker(this.hasher, header.tenantId);
    this.frontier = parseFrontier(header.frontier);
    this.nextSeq = header.fromSeq;
    const keys = headerKeys(header.publicKeys, this.trustedKeys);
    this.headerKeys = keys.listed;
    this.acceptedKeys = keys.accepted;
    for (const key of keys.untrusted) {
      this.problem({
        code: 'HEADER_KEY_NOT_TRUSTED',
        message: `the export lists key ${formatVerifierKey(key)}, which is not a trusted key (was the log rebuilt and re-signed with a different key?)`,
      });
    }
    if (!keys.pinned) {
      this.warnings.push({
        code: 'KEYS_NOT_PINNED',
        message: 'no trusted key given: checkpoints were checked against the keys the export itself lists; compare them with the published keys',
      });
    }
    (this.options.exportCheckpoints ?? []).forEach((note) => this.acceptCheckpoint(note, 'checkpoint of the export'));
    (this.options.previousCheckpoints ?? []).forEach((note, i) => this.acceptCheckpoint(note, `saved checkpoint #${i + 1}`, true));
    return true;
  }

  private acceptEntry(entry: CheckedEntry, lineNumber: number): void {
    const header = this.header as ExportHeader;
    const seq = entry.seq;
    const position = this.frontier.size;
    if (seq > this.nextSeq) {
      const missing = seq - 1 === this.nextSeq ? `seq ${this.nextSeq}` : `seqs ${this.nextSeq}..${seq - 1}`;
      this.entryProblem(position, {
        code: 'SEQ_GAP',
        seq: this.nextSeq,
        line: lineNumber,
        message: `entry missing or out of order: expected seq ${this.nextSeq}, found seq ${seq} (${missing} missing here)`,
      });
    } else if (seq < this.nextSeq) {
      this.entryProblem(position, {
        code: 'SEQ_OUT_OF_ORDER',
        seq,
        line: lineNumber,
        message: `entry out of order: seq ${seq} comes after seq ${this.nextSeq - 1} (reordered or duplicated entries)`,
      });
    }
    this.nextSeq = Math.max(this.nextSeq, seq + 1);
    if (seq > header.toSeq) {
      this.entryProblem(position, { code: 'ENTRY_OUT_OF_RANGE', seq, line: lineNumber, message: `seq ${seq} is beyond the header's toSeq ${header.toSeq}` });
    }
    for (const { code, message } of entry.problems) this.entryProblem(position, { code, seq, line: lineNumber, message });
    const occurredAt = entry.occurredAt;
    if (occurredAt !== undefined) {
      if (this.previousOccurredAt !== undefined && occurredAt < this.previousOccurredAt) {
        this.entryProblem(position, {
          code: 'TIME_REGRESSION',
          seq,
          line: lineNumber,
          message: `occurredAt ${occurredAt} is earlier than the previous entry's ${this.previousOccurredAt}`,
        });
      }
      this.previousOccurredAt = occurredAt;
    }

    this.frontier = appendToFrontier(this.hasher, this.frontier, entry.leafHash).frontier;
    this.checked++;
    this.checkPendingCheckpoints();
    if (this.checked % PROGRESS_EVERY === 0) this.reportProgress();
  }

  private acceptCheckpoint(note: string, label: string, isSaved = false): void {
    if (this.seenNotes.has(note)) return;
    this.seenNotes.add(note);
    const header = this.header as ExportHeader;
    const result = this.verifyCheckpoint(note, this.acceptedKeys, { origin: header.origin });
    if (!result.ok) {
      const named = result.checkpoint ? `${label} (size ${result.checkpoint.size})` : label;
      switch (result.code) {
        case 'CHECKPOINT_MALFORMED':
          this.problem({ code: 'CHECKPOINT_INVALID', message: `${named}: ${result.message}` });
          return;
        case 'CHECKPOINT_BAD_SIGNATURE':
          this.problem({ code: 'CHECKPOINT_BAD_SIGNATURE', message: `${named}: ${result.message}` });
          return;
        case 'CHECKPOINT_WRONG_ORIGIN':
          this.problem({ code: 'CHECKPOINT_WRONG_ORIGIN', message: `${named}: ${result.message}` });
          return;
        case 'CHECKPOINT_UNKNOWN_KEY':
          this.rejectedForKey++;
          this.problem(this.unknownKeyProblem(note, named, isSaved));
          return;
      }
    }
    const checkpoint = result.checkpoint;
    const authenticated: AuthenticatedCheckpoint = { label: `${label} (size ${checkpoint.size})`, checkpoint };
    const sameSize = this.authenticatedRootsBySize.get(checkpoint.size);
    if (sameSize && !bytesEqual(sameSize.checkpoint.rootHash, checkpoint.rootHash)) {
      this.problem({
        code: 'CHECKPOINT_FORK',
        message: `${authenticated.label} and ${sameSize.label} are both validly signed for size ${checkpoint.size} but have different roots (a fork)`,
      });
    }
    this.authenticatedRootsBySize.set(checkpoint.size, authenticated);
    if (!this.newestAuthenticated || checkpoint.size > this.newestAuthenticated.checkpoint.size) this.newestAuthenticated = authenticated;

    if (checkpoint.size < header.fromSeq) {
      this.warnings.push({
        code: 'CHECKPOINT_BEFORE_RANGE',
        message: `${authenticated.label} predates this export (which starts at seq ${header.fromSeq}) and cannot be checked against it`,
      });
    } else if (checkpoint.size === this.frontier.size) {
      this.compareRoot([authenticated]);
    } else if (checkpoint.size > this.frontier.size) {
      const pending = this.pendingBySize.get(checkpoint.size) ?? [];
      pending.push(authenticated);
      this.pendingBySize.set(checkpoint.size, pending);
    } else {
      this.warnings.push({
        code: 'CHECKPOINT_NOT_CHECKED',
        message: `${authenticated.label} came after the entries it covers; pass the export's checkpoints up front (collectCheckpointNotes) to check it`,
      });
    }
  }

  private unknownKeyProblem(note: string, named: string, isSaved: boolean): ExportProblem {
    const byHeaderKey = this.trustedKeys && this.verifyCheckpoint(note, this.headerKeys, {}).ok;
    if (byHeaderKey) {
      return {
        code: 'CHECKPOINT_UNTRUSTED_KEY',
        message: `${named} is signed only by a key of the export that is not trusted (was the log re-signed with a different key?)`,
      };
    }
    return {
      code: 'CHECKPOINT_UNKNOWN_KEY',
      message: isSaved
        ? `${named} is not signed by any key the export uses (was the log re-signed with a different key?)`
        : `${named} is not signed by any accepted key`,
    };
  }

  private checkPendingCheckpoints(): void {
    const due = this.pendingBySize.get(this.frontier.size);
    if (!due) return;
    this.pendingBySize.delete(this.frontier.size);
    this.compareRoot(due);
  }

  private compareRoot(checkpoints: readonly AuthenticatedCheckpoint[]): void {
    const header = this.header as ExportHeader;
    const size = this.frontier.size;
    const root = frontierRoot(this.hasher, this.frontier);
    for (const { label, checkpoint } of checkpoints) {
      if (bytesEqual(root, checkpoint.rootHash)) {
        this.checkpointsVerified++;
        if (this.matchedSizes.at(-1) !== size) this.matchedSizes.push(size);
        continue;
      }
      if (size === header.fromSeq) {
        this.problem({
          code: 'CHECKPOINT_ROOT_MISMATCH',
          message: `${label} does not match the header frontier: the log before seq ${size} is not what was signed`,
        });
        continue;
      }
      const lastGood = this.matchedSizes.findLast((matched) => matched < size);
      const firstSuspect = lastGood ?? header.fromSeq;
      const range = `seq ${firstSuspect}..${size - 1}`;
      const beforeRange = lastGood === undefined && header.fromSeq > 0 ? ' or the header frontier' : '';
      if (this.latestEntryProblemPosition >= firstSuspect) {
        this.problem({ code: 'CHECKPOINT_ROOT_MISMATCH', message: `${label} does not match the entries (${range}; see the entry problems)` });
      } else {
        this.evidenceAt(firstSuspect);
        this.problem({
          code: 'CHECKPOINT_ROOT_MISMATCH',
          seq: firstSuspect,
          message: `root mismatch: ${label} does not match the entries; an entry in ${range}${beforeRange} was changed, removed or reordered`,
        });
      }
    }
  }

  finish(): ExportVerification {
    const header = this.header;
    if (!header) {
      if (!this.headerFailed) this.problem({ code: 'HEADER_INVALID', message: 'not an audit export: no header line' });
      return this.result();
    }
    const endSeq = this.nextSeq;
    if (header.toSeq + 1 > endSeq) {
      this.evidenceAt(endSeq);
      this.problem({
        code: 'TRUNCATED',
        seq: endSeq,
        message: `truncated: the header announces entries up to seq ${header.toSeq}, the export stops before seq ${endSeq}`,
      });
    }
    const newest = this.newestAuthenticated;
    if (newest && newest.checkpoint.size > endSeq) {
      this.evidenceAt(endSeq);
      this.problem({
        code: 'TRUNCATED',
        seq: endSeq,
        message: `truncated: ${newest.label} covers ${newest.checkpoint.size} entries, the export stops before seq ${endSeq}`,
      });
    }
    for (const [size, due] of this.pendingBySize) {
      if (size > endSeq) continue;
      for (const { label } of due) {
        this.problem({
          code: 'CHECKPOINT_NOT_REACHED',
          message: `${label} could not be checked: the export has only ${this.frontier.size - header.fromSeq} of the entries before seq ${size}`,
        });
      }
    }
    if (this.trailerEntries !== undefined && this.trailerEntries !== this.checked) {
      // Evidence of a cut-off end only when the seq range itself is short; with gaps the
      // missing entries are already named.
      const missingFrom = endSeq < header.fromSeq + this.trailerEntries ? endSeq : undefined;
      if (missingFrom !== undefined) this.evidenceAt(missingFrom);
      this.problem({
        code: 'TRAILER_MISMATCH',
        seq: missingFrom,
        message: `the trailer counts ${this.trailerEntries} entries, the export has ${this.checked}`,
      });
    }
    this.checkSignatureCoverage(header);
    this.options.onProgress?.({ entries: this.checked, expectedEntries: expectedEntries(header) });
    return this.result();
  }

  // Entries after the newest matching checkpoint are vouched for by nothing: they could
  // have been appended by anyone with write access to the database.
  private checkSignatureCoverage(header: ExportHeader): void {
    const treeSize = this.frontier.size;
    if (treeSize === header.fromSeq) return;
    const lastMatched = this.matchedSizes.at(-1);
    const covered = lastMatched ?? header.fromSeq;
    if (covered >= treeSize) return;
    this.lowestUnvouchedSeq = covered;
    const range = `seq ${covered}..${treeSize - 1}`;
    const why =
      lastMatched === undefined && this.rejectedForKey > 0
        ? `no checkpoint signed by ${this.trustedKeys ? 'a trusted' : 'an accepted'} key covers ${range} (was the log re-signed with a different key?)`
        : `${range} ${lastMatched === undefined ? 'are' : 'are after the newest matching checkpoint and'} not covered by any verified checkpoint`;
    this.problem({ code: 'UNSIGNED_ENTRIES', seq: covered, message: `unsigned entries: ${why}` });
  }

  private entryProblem(position: number, problem: ExportProblem & { seq: number }): void {
    this.latestEntryProblemPosition = Math.max(this.latestEntryProblemPosition, position);
    this.evidenceAt(problem.seq);
    this.problem(problem);
  }

  private evidenceAt(seq: number): void {
    if (this.lowestEvidenceSeq === undefined || seq < this.lowestEvidenceSeq) this.lowestEvidenceSeq = seq;
  }

  private problem(problem: ExportProblem): void {
    this.problemCount++;
    if (this.problems.length < (this.options.maxProblems ?? 1000)) this.problems.push(problem);
  }

  private reportProgress(): void {
    this.options.onProgress?.({ entries: this.checked, expectedEntries: expectedEntries(this.header as ExportHeader) });
  }

  private result(): ExportVerification {
    const problems = [...this.problems];
    if (this.problemCount > problems.length) {
      problems.push({ code: 'TOO_MANY_PROBLEMS', message: `${this.problemCount - problems.length} more problems not listed` });
    }
    return {
      ok: this.problemCount === 0,
      checked: this.checked,
      treeSize: this.frontier.size,
      rootHash: this.header ? encodeBase64(frontierRoot(this.hasher, this.frontier)) : undefined,
      firstBadSeq: this.lowestEvidenceSeq ?? this.lowestUnvouchedSeq,
      problems,
      warnings: this.warnings,
      checkpointsVerified: this.checkpointsVerified,
      verifiedSize: this.matchedSizes.at(-1),
      header: this.header,
      keysUsed: this.acceptedKeys.map(formatVerifierKey),
    };
  }
}

function expectedEntries(header: ExportHeader): number {
  return header.toSeq - header.fromSeq + 1;
}
