import { decodeBase64OfLength, encodeBase64 } from './base64';
import { bytesEqual, isBytesOfLength } from './bytes';
import { AuditLogError } from './errors';
import type { Hasher } from './hash';
import { HASH_SIZE } from './merkle';
import { verifyConsistency } from './proof-verification';
import { parseNote, parseVerifierKey, signNote, verifyNote, type NoteSignature, type NoteSignerKey, type NoteVerifierKey } from './signed-note';
import { isTreeSize } from './tree-math';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): a signed note whose text is
 * `<origin>\n<size>\n<base64 root>\n` and optional extension lines.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions: readonly string[];
}

export type CheckpointInput = Omit<Checkpoint, 'extensions'> & { readonly extensions?: readonly string[] };

export const MAX_ORIGIN_LENGTH = 1024;
export const MAX_CHECKPOINT_EXTENSIONS = 16;

export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: Checkpoint; readonly verifiedBy: readonly NoteVerifierKey[] }
  | {
      readonly ok: false;
      readonly code: 'CHECKPOINT_MALFORMED' | 'CHECKPOINT_UNKNOWN_KEY' | 'CHECKPOINT_BAD_SIGNATURE' | 'CHECKPOINT_WRONG_ORIGIN';
      readonly message: string;
      /** Present when the note parsed, so a caller can still say which log and size it claimed. */
      readonly checkpoint?: Checkpoint;
      readonly signatures?: readonly NoteSignature[];
    };

export function formatCheckpointBody(checkpoint: CheckpointInput): string {
  const extensions = checkpoint.extensions ?? [];
  if (!isBytesOfLength(checkpoint.rootHash, HASH_SIZE)) throw malformed('root hash must be 32 bytes');
  const text = [checkpoint.origin, String(checkpoint.size), encodeBase64(checkpoint.rootHash), ...extensions].join('\n') + '\n';
  // Never sign what a verifier would read differently: a newline inside the origin or an
  // extension would move the other fields.
  const reread = parseCheckpointBody(text);
  const sameFields =
    reread.origin === checkpoint.origin &&
    reread.size === checkpoint.size &&
    reread.extensions.length === extensions.length &&
    reread.extensions.every((line, i) => line === extensions[i]);
  if (!sameFields) throw malformed('origin and extension lines must not contain newlines');
  return text;
}

/** Strict: exactly the lines the spec allows, decimal size without leading zeros, 32-byte root. */
export function parseCheckpointBody(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('needs origin, size and root hash lines');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin.length === 0 || origin.length > MAX_ORIGIN_LENGTH) throw malformed(`origin must be 1..${MAX_ORIGIN_LENGTH} characters`);
  if (!/^(?:0|[1-9][0-9]{0,15})$/.test(sizeText) || !isTreeSize(Number(sizeText))) {
    throw malformed('tree size must be a decimal integer without leading zeros, at most 2^53 - 1');
  }
  let rootHash: Uint8Array;
  try {
    rootHash = decodeBase64OfLength(rootText, HASH_SIZE);
  } catch {
    throw malformed('root hash must be base64 of 32 bytes');
  }
  if (extensions.length > MAX_CHECKPOINT_EXTENSIONS) throw malformed(`more than ${MAX_CHECKPOINT_EXTENSIONS} extension lines`);
  if (extensions.some((line) => line.length === 0)) throw malformed('extension lines must be non-empty');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

export function signCheckpoint(checkpoint: CheckpointInput, signers: NoteSignerKey | readonly NoteSignerKey[]): string {
  return signNote(formatCheckpointBody(checkpoint), Array.isArray(signers) ? signers : [signers as NoteSignerKey]);
}

/** Parses note and body without checking signatures (throws NOTE_MALFORMED or CHECKPOINT_MALFORMED). */
export function parseCheckpoint(note: string): { checkpoint: Checkpoint; signatures: readonly NoteSignature[] } {
  const parsed = parseNote(note);
  return { checkpoint: parseCheckpointBody(parsed.text), signatures: parsed.signatures };
}

/**
 * Verifies a checkpoint note against verifier keys (strings or parsed). Fails when the
 * note or body is malformed, when a signature by one of the keys does not verify, when
 * no key signed it, or (with `origin`) when it belongs to another log.
 */
export function verifyCheckpoint(
  note: string,
  keys: string | readonly (string | NoteVerifierKey)[],
  options: { readonly origin?: string } = {},
): CheckpointVerification {
  const verifierKeys = (typeof keys === 'string' ? [keys] : keys).map((key) => (typeof key === 'string' ? parseVerifierKey(key) : key));
  let checkpoint: Checkpoint;
  let signatures: readonly NoteSignature[];
  try {
    ({ checkpoint, signatures } = parseCheckpoint(note));
  } catch (error) {
    return { ok: false, code: 'CHECKPOINT_MALFORMED', message: (error as Error).message };
  }
  const verification = verifyNote(note, verifierKeys);
  if (!verification.ok) {
    const code = verification.code === 'NOTE_BAD_SIGNATURE' ? 'CHECKPOINT_BAD_SIGNATURE' : 'CHECKPOINT_UNKNOWN_KEY';
    return { ok: false, code, message: verification.message, checkpoint, signatures };
  }
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    return {
      ok: false,
      code: 'CHECKPOINT_WRONG_ORIGIN',
      message: `checkpoint is for log "${checkpoint.origin}", not "${options.origin}"`,
      checkpoint,
      signatures,
    };
  }
  return { ok: true, checkpoint, verifiedBy: verification.verifiedBy };
}

/**
 * The signer's guard (tlog-checkpoint: "a log MUST NOT sign any checkpoint which is
 * inconsistent with any checkpoint it previously signed"): throws INCONSISTENT_HEAD
 * unless `next` extends `previous` (same origin, not smaller, and the consistency proof
 * from previous to next verifies; equal sizes need equal roots).
 */
export function assertConsistentHead(hasher: Hasher, previous: Checkpoint | undefined, next: Checkpoint, consistencyProof: readonly Uint8Array[]): void {
  if (previous === undefined) return;
  if (next.origin !== previous.origin) throw inconsistent(`origin changed from "${previous.origin}" to "${next.origin}"`);
  if (next.size < previous.size) throw inconsistent(`tree size would shrink from ${previous.size} to ${next.size}`);
  if (next.size === previous.size && !bytesEqual(next.rootHash, previous.rootHash)) {
    throw inconsistent(`a different root for the same size ${next.size} (a fork)`);
  }
  const consistent = verifyConsistency(hasher, {
    oldSize: previous.size,
    newSize: next.size,
    oldRoot: previous.rootHash,
    newRoot: next.rootHash,
    proof: consistencyProof,
  });
  if (!consistent) throw inconsistent(`size ${next.size} does not extend size ${previous.size} (consistency proof fails)`);
}

function malformed(reason: string): AuditLogError {
  return new AuditLogError('CHECKPOINT_MALFORMED', `malformed checkpoint: ${reason}`);
}

function inconsistent(reason: string): AuditLogError {
  return new AuditLogError('INCONSISTENT_HEAD', `refusing to sign: ${reason}`);
}
