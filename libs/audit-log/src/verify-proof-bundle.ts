import { decodeBase64OfLength, encodeBase64 } from './base64';
import { bytesEqual } from './bytes';
import { parseCheckpoint, verifyCheckpoint, type Checkpoint } from './checkpoint';
import { EntryChecker } from './entry-check';
import type { Hasher } from './hash';
import { HASH_SIZE } from './merkle';
import { parseProofBundleLine, type ProofBundleHeader } from './proof-bundle';
import { rootFromInclusionProof } from './proof-verification';
import { headerKeys } from './header-keys';
import { formatVerifierKey, parseVerifierKey, type NoteVerifierKey } from './signed-note';
import type { ExportProblem, ExportProblemCode, ExportWarning } from './verify-export';

export type ProofBundleProblemCode = ExportProblemCode | 'INCLUSION_PROOF_INVALID' | 'CHECKPOINT_MISSING';

export interface ProofBundleProblem extends Omit<ExportProblem, 'code'> {
  readonly code: ProofBundleProblemCode;
}

export interface VerifyProofBundleOptions {
  /** Verifier keys the caller trusts; without them the bundle's own keys are used (a warning). */
  readonly trustedKeys?: readonly string[];
  /** Checkpoints saved earlier: one of the bundle's size must have its root (a fork otherwise); others cannot be compared without a consistency proof. */
  readonly previousCheckpoints?: readonly string[];
  readonly onProgress?: (progress: { entries: number; expectedEntries: number }) => void;
}

export interface ProofBundleVerification {
  readonly kind: 'proofs';
  readonly ok: boolean;
  readonly checked: number;
  readonly treeSize: number;
  readonly rootHash?: string;
  /** The lowest seq whose entry or proof failed. */
  readonly firstBadSeq?: number;
  readonly seqs: readonly number[];
  readonly problems: readonly ProofBundleProblem[];
  readonly warnings: readonly ExportWarning[];
  readonly checkpointsVerified: number;
  readonly header?: ProofBundleHeader;
  readonly keysUsed: readonly string[];
}

/**
 * Checks a proof bundle in one pass: the header; the one checkpoint, signed by an accepted key of
 * this log at the header's size; each entry as an export's (EntryChecker: base64, canonical leaf of
 * this tenant with its seq, the stored leaf hash) and its inclusion proof against the checkpoint's
 * root; seqs strictly ascending and inside the tree; the trailer's count (a bundle without its
 * trailer was cut short).
 */
export async function verifyProofBundle(
  hasher: Hasher,
  lines: AsyncIterable<string> | Iterable<string>,
  options: VerifyProofBundleOptions = {},
): Promise<ProofBundleVerification> {
  const trusted = options.trustedKeys?.length ? options.trustedKeys.map(parseVerifierKey) : undefined;
  const problems: ProofBundleProblem[] = [];
  const warnings: ExportWarning[] = [];
  const seqs: number[] = [];
  let header: ProofBundleHeader | undefined;
  let checker: EntryChecker | undefined;
  let keys: readonly NoteVerifierKey[] = [];
  let checkpoint: Checkpoint | undefined;
  let checkpointsVerified = 0;
  let trailer: number | undefined;
  let lineNumber = 0;
  const fail = (problem: ProofBundleProblem) => problems.push(problem);

  for await (const line of lines) {
    lineNumber++;
    if (line === '') continue;
    let parsed;
    try {
      parsed = parseProofBundleLine(line);
    } catch (error) {
      fail({ code: header ? 'LINE_INVALID' : 'HEADER_INVALID', line: lineNumber, message: `line ${lineNumber}: ${(error as Error).message}` });
      if (!header) break;
      continue;
    }
    if (!header) {
      if (parsed.type !== 'header') {
        fail({ code: 'HEADER_INVALID', line: lineNumber, message: `not a proof bundle: the first line is a ${parsed.type}` });
        break;
      }
      header = parsed;
      checker = new EntryChecker(hasher, header.tenantId);
      const listed = headerKeys(header.publicKeys, trusted);
      keys = listed.accepted;
      for (const key of listed.untrusted) {
        fail({ code: 'HEADER_KEY_NOT_TRUSTED', message: `the bundle lists key ${formatVerifierKey(key)}, which is not a trusted key` });
      }
      if (!listed.pinned) {
        warnings.push({
          code: 'KEYS_NOT_PINNED',
          message: 'no trusted key given: the checkpoint was checked against the keys the bundle itself lists; compare them with the published keys',
        });
      }
      continue;
    }
    if (trailer !== undefined) {
      fail({ code: 'LINE_INVALID', line: lineNumber, message: `line ${lineNumber}: content after the trailer` });
      continue;
    }
    if (parsed.type === 'header') {
      fail({ code: 'LINE_INVALID', line: lineNumber, message: `line ${lineNumber}: a second header` });
    } else if (parsed.type === 'trailer') {
      trailer = parsed.entries;
    } else if (parsed.type === 'checkpoint') {
      if (checkpoint || seqs.length > 0) {
        fail({ code: 'LINE_INVALID', line: lineNumber, message: `line ${lineNumber}: a bundle has one checkpoint, before its entries` });
        continue;
      }
      const verification = verifyCheckpoint(parsed.note, keys, { origin: header.origin });
      if (!verification.ok) {
        const code =
          verification.code === 'CHECKPOINT_MALFORMED'
            ? 'CHECKPOINT_INVALID'
            : verification.code === 'CHECKPOINT_UNKNOWN_KEY' && trusted
              ? 'CHECKPOINT_UNTRUSTED_KEY'
              : verification.code;
        fail({ code, line: lineNumber, message: `checkpoint: ${verification.message}` });
      } else if (verification.checkpoint.size !== header.treeSize) {
        fail({
          code: 'CHECKPOINT_INVALID',
          line: lineNumber,
          message: `the checkpoint is of size ${verification.checkpoint.size}, the header says ${header.treeSize}`,
        });
      } else {
        checkpoint = verification.checkpoint;
        checkpointsVerified++;
      }
    } else {
      const seq = parsed.seq;
      const previous = seqs[seqs.length - 1];
      seqs.push(seq);
      if (previous !== undefined && seq <= previous)
        fail({ code: 'SEQ_OUT_OF_ORDER', seq, line: lineNumber, message: `seq ${seq} comes after seq ${previous}` });
      if (seq >= header.treeSize)
        fail({ code: 'ENTRY_OUT_OF_RANGE', seq, line: lineNumber, message: `seq ${seq} is beyond the checkpoint's tree of ${header.treeSize}` });
      const checked = checker!.checkEntry({ type: 'entry', seq, leaf: parsed.leaf, leafHash: parsed.leafHash });
      for (const { code, message } of checked.problems) fail({ code, seq, line: lineNumber, message });
      if (!checkpoint) {
        fail({ code: 'CHECKPOINT_MISSING', seq, line: lineNumber, message: `seq ${seq}: no verified checkpoint to prove it against` });
        continue;
      }
      let proof: Uint8Array[];
      try {
        proof = parsed.proof.map((hash) => decodeBase64OfLength(hash, HASH_SIZE));
      } catch {
        fail({ code: 'INCLUSION_PROOF_INVALID', seq, line: lineNumber, message: `seq ${seq}: the proof holds a hash that is not base64 of 32 bytes` });
        continue;
      }
      const root = seq < header.treeSize ? rootFromInclusionProof(hasher, checked.leafHash, seq, header.treeSize, proof) : undefined;
      if (!root || !bytesEqual(root, checkpoint.rootHash)) {
        fail({
          code: 'INCLUSION_PROOF_INVALID',
          seq,
          line: lineNumber,
          message: `seq ${seq}: the inclusion proof does not lead to the checkpoint's root (entry or proof altered)`,
        });
      }
    }
    if (seqs.length % 1024 === 0) options.onProgress?.({ entries: seqs.length, expectedEntries: trailer ?? seqs.length });
  }

  if (header) {
    if (!checkpoint && !problems.some((problem) => problem.code.startsWith('CHECKPOINT'))) {
      fail({ code: 'CHECKPOINT_MISSING', message: 'the bundle holds no checkpoint' });
    }
    if (trailer === undefined) fail({ code: 'TRUNCATED', message: 'the bundle has no trailer: it was cut short' });
    else if (trailer !== seqs.length) fail({ code: 'TRAILER_MISMATCH', message: `the trailer counts ${trailer} entries, the bundle holds ${seqs.length}` });
    for (const [i, note] of (options.previousCheckpoints ?? []).entries()) {
      const saved = parseCheckpoint(note).checkpoint;
      if (saved.origin !== header.origin) continue;
      if (checkpoint && saved.size === checkpoint.size && !bytesEqual(saved.rootHash, checkpoint.rootHash)) {
        fail({ code: 'CHECKPOINT_FORK', message: `saved checkpoint #${i + 1} has another root for size ${saved.size}: the log was rewritten` });
      } else if (saved.size !== header.treeSize) {
        warnings.push({
          code: 'CHECKPOINT_NOT_CHECKED',
          message: `saved checkpoint #${i + 1} (size ${saved.size}) cannot be compared: a proof bundle carries no consistency proof`,
        });
      }
    }
  }
  options.onProgress?.({ entries: seqs.length, expectedEntries: seqs.length });
  const bad = problems.map((problem) => problem.seq).filter((seq): seq is number => seq !== undefined);
  return {
    kind: 'proofs',
    ok: problems.length === 0,
    checked: seqs.length,
    treeSize: header?.treeSize ?? 0,
    rootHash: checkpoint ? encodeBase64(checkpoint.rootHash) : undefined,
    firstBadSeq: bad.length ? Math.min(...bad) : undefined,
    seqs,
    problems,
    warnings,
    checkpointsVerified,
    header,
    keysUsed: keys.map(formatVerifierKey),
  };
}
