import { decodeBase64, decodeBase64OfLength } from './base64';
import { bytesEqual, utf8Bytes } from './bytes';
import { isCanonicalJsonBytes, TopLevelMembers } from './canonical-json-check';
import type { ExportEntry } from './export-format';
import type { Hasher } from './hash';
import { decodeLeaf, isUtcMillisTimestamp, LEAF_VERSIONS } from './leaf';
import { hashLeaf, HASH_SIZE } from './merkle';

export type EntryProblemCode = 'LEAF_HASH_INVALID' | 'LEAF_INVALID' | 'LEAF_HASH_MISMATCH' | 'LEAF_SEQ_MISMATCH' | 'TENANT_MISMATCH';

export interface EntryProblem {
  readonly code: EntryProblemCode;
  readonly message: string;
}

/**
 * An entry line after every check that needs only the line and the header's tenant:
 * what `verifyExport` still has to do with it (seq order, the tree, checkpoints, time
 * order) depends on the lines before it. `verifyExport` accepts these in place of the
 * line, so the checks can run elsewhere (e.g. in worker threads) with `EntryChecker`.
 */
export interface CheckedEntry {
  readonly seq: number;
  /** The leaf hash the tree is rebuilt with: recomputed from the leaf; the stored one when the leaf is unreadable. */
  readonly leafHash: Uint8Array;
  /** In the order they were found. */
  readonly problems: readonly EntryProblem[];
  /** The leaf's occurredAt, when the leaf is a valid leaf. */
  readonly occurredAt?: string;
}

const PLACEHOLDER_HASH = new Uint8Array(HASH_SIZE);
const ENTRY_PREFIX = '{"type":"entry","seq":';
const LEAF_FIELD = ',"leaf":"';
const LEAF_HASH_FIELD = '","leafHash":"';
// Integers below 10^15, written as JSON.stringify writes them.
const SMALL_CANONICAL_INTEGER = /^(?:0|[1-9]\d{0,14})$/;
// Actions are few (an enum); more distinct ones than this are checked the slow way.
const MAX_KNOWN_ACTIONS = 256;

// The top-level fields decodeLeaf checks; their first letters differ.
const FIELD_COUNT = 5;
const ACTION = utf8Bytes('action');
const OCCURRED_AT = utf8Bytes('occurredAt');
const SEQ = utf8Bytes('seq');
const TENANT_ID = utf8Bytes('tenantId');
const VERSION = utf8Bytes('v');
const KNOWN_VERSIONS = LEAF_VERSIONS.map((version) => utf8Bytes(String(version)));
const ascii = new TextDecoder();

/**
 * The per-entry checks of the export verifier, for the entries of one tenant: base64,
 * the stored leaf hash against the leaf bytes as exported, and the leaf itself
 * (`decodeLeaf`'s rules, its seq and tenant).
 *
 * Most leaves are fine, so the common case has a fast path that proves a leaf valid
 * without building it as a value: one pass over the bytes that checks RFC 8785 form
 * (`isCanonicalJsonBytes`, no re-serialization) and finds the top-level fields, whose
 * bytes are compared with what they must be. A leaf the fast path does not prove valid
 * goes through `decodeLeaf`, which stays the one authority on what a leaf is and names
 * the problem. The same split applies to lines: a line written exactly as
 * `formatExportEntry` writes it is cut at known places; anything else is parsed.
 */
export class EntryChecker {
  private readonly tenantIdJson: Uint8Array;
  private readonly members = new TopLevelMembers();
  // Actions (as JSON) that decodeLeaf accepted in a leaf: its only rule on an action is a
  // property of the string alone, so these need no second look.
  private readonly knownActions: Uint8Array[] = [];

  constructor(
    private readonly hasher: Hasher,
    /** The header's tenant (a valid tenant id). */
    private readonly tenantId: string,
    /**
     * Strict base64 for leaves, as `decodeBase64` (the default) decodes and fails. The
     * checker reads the bytes only until its next call, so a decoder may reuse one buffer.
     */
    private readonly decodeLeafBase64: (text: string) => Uint8Array = decodeBase64,
  ) {
    this.tenantIdJson = utf8Bytes(JSON.stringify(tenantId));
  }

  /**
   * Checks a line written exactly as `formatExportEntry` writes it; undefined for any
   * other line, which then needs `parseExportLine` (and `checkEntry` if it is an entry).
   */
  checkLine(line: string): CheckedEntry | undefined {
    if (!line.startsWith(ENTRY_PREFIX)) return undefined;
    const seqEnd = line.indexOf(LEAF_FIELD, ENTRY_PREFIX.length);
    const leafStart = seqEnd + LEAF_FIELD.length;
    const leafEnd = line.indexOf('"', leafStart);
    const hashStart = leafEnd + LEAF_HASH_FIELD.length;
    const hashEnd = line.length - 2;
    if (seqEnd < 0 || leafEnd < 0 || !line.startsWith(LEAF_HASH_FIELD, leafEnd) || line.indexOf('"', hashStart) !== hashEnd || !line.endsWith('"}')) {
      return undefined;
    }
    const seqText = line.slice(ENTRY_PREFIX.length, seqEnd);
    if (!SMALL_CANONICAL_INTEGER.test(seqText)) return undefined;
    // Strict base64 has only alphabet characters (no quotes, escapes or controls), so when
    // both decode, JSON.parse would have read exactly these fields from the line.
    let leaf: Uint8Array;
    let storedHash: Uint8Array;
    try {
      leaf = this.decodeLeafBase64(line.slice(leafStart, leafEnd));
      storedHash = decodeBase64OfLength(line.slice(hashStart, hashEnd), HASH_SIZE);
    } catch {
      return undefined;
    }
    return this.checkBytes(Number(seqText), leaf, storedHash, []);
  }

  /** Checks a parsed entry line. */
  checkEntry(entry: ExportEntry): CheckedEntry {
    const problems: EntryProblem[] = [];
    let storedHash: Uint8Array | undefined;
    try {
      storedHash = decodeBase64OfLength(entry.leafHash, HASH_SIZE);
    } catch {
      problems.push({ code: 'LEAF_HASH_INVALID', message: 'stored leaf hash is not base64 of 32 bytes' });
    }
    let leaf: Uint8Array | undefined;
    try {
      leaf = this.decodeLeafBase64(entry.leaf);
    } catch {
      problems.push({ code: 'LEAF_INVALID', message: 'leaf is not base64' });
    }
    if (!leaf) return { seq: entry.seq, leafHash: storedHash ?? PLACEHOLDER_HASH, problems };
    return this.checkBytes(entry.seq, leaf, storedHash, problems);
  }

  private checkBytes(seq: number, leaf: Uint8Array, storedHash: Uint8Array | undefined, problems: EntryProblem[]): CheckedEntry {
    const leafHash = hashLeaf(this.hasher, leaf);
    if (storedHash && !bytesEqual(leafHash, storedHash)) {
      problems.push({ code: 'LEAF_HASH_MISMATCH', message: 'leaf hash mismatch (the leaf bytes do not hash to the stored leaf hash)' });
    }
    const occurredAt = this.provenOccurredAt(leaf, seq) ?? this.decodeLeafContent(leaf, seq, problems);
    return { seq, leafHash, problems, occurredAt };
  }

  /**
   * The fast path: the leaf's occurredAt when the bytes alone show that `decodeLeaf`
   * accepts the leaf and that it has this seq and tenant; otherwise undefined.
   */
  private provenOccurredAt(leaf: Uint8Array, seq: number): string | undefined {
    const members = this.members;
    if (leaf[0] !== 0x7b || !isCanonicalJsonBytes(leaf, members)) return undefined;
    let found = 0;
    let occurredAt: string | undefined;
    for (let i = 0; i < members.count; i++) {
      const keyStart = members.keyStart[i];
      const keyEnd = members.keyEnd[i];
      const start = members.valueStart[i];
      const end = members.valueEnd[i];
      let valid: boolean;
      switch (leaf[keyStart]) {
        case 0x61:
          if (!spanEquals(leaf, keyStart, keyEnd, ACTION)) continue;
          valid = this.knownActions.some((action) => spanEquals(leaf, start, end, action));
          break;
        case 0x6f:
          if (!spanEquals(leaf, keyStart, keyEnd, OCCURRED_AT)) continue;
          occurredAt = plainString(leaf, start, end);
          valid = isUtcMillisTimestamp(occurredAt);
          break;
        case 0x73:
          if (!spanEquals(leaf, keyStart, keyEnd, SEQ)) continue;
          valid = spanIsInteger(leaf, start, end, seq);
          break;
        case 0x74:
          if (!spanEquals(leaf, keyStart, keyEnd, TENANT_ID)) continue;
          valid = spanEquals(leaf, start, end, this.tenantIdJson);
          break;
        case 0x76:
          if (!spanEquals(leaf, keyStart, keyEnd, VERSION)) continue;
          valid = KNOWN_VERSIONS.some((version) => spanEquals(leaf, start, end, version));
          break;
        default:
          continue;
      }
      if (!valid) return undefined;
      found++;
    }
    return found === FIELD_COUNT ? occurredAt : undefined;
  }

  /** The slow path: decodeLeaf decides and names the problem. */
  private decodeLeafContent(bytes: Uint8Array, seq: number, problems: EntryProblem[]): string | undefined {
    let leaf;
    try {
      leaf = decodeLeaf(bytes);
    } catch (error) {
      problems.push({ code: 'LEAF_INVALID', message: (error as Error).message });
      return undefined;
    }
    const action = utf8Bytes(JSON.stringify(leaf.action));
    if (this.knownActions.length < MAX_KNOWN_ACTIONS && !this.knownActions.some((known) => bytesEqual(known, action))) this.knownActions.push(action);
    if (leaf.seq !== seq) {
      problems.push({ code: 'LEAF_SEQ_MISMATCH', message: `the leaf records seq ${leaf.seq}, the export line seq ${seq}` });
    }
    if (leaf.tenantId !== this.tenantId) {
      problems.push({ code: 'TENANT_MISMATCH', message: `the leaf belongs to tenant ${leaf.tenantId}, not ${this.tenantId}` });
    }
    return leaf.occurredAt;
  }
}

function spanEquals(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

function spanIsInteger(bytes: Uint8Array, start: number, end: number, expected: number): boolean {
  if (end - start > 15) return false;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i] - 0x30;
    if (digit < 0 || digit > 9) return false;
    value = value * 10 + digit;
  }
  return end > start && value === expected;
}

/** The string a JSON string value stands for, when it is printable ASCII without escapes. */
function plainString(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (bytes[start] !== 0x22) return undefined;
  for (let i = start + 1; i < end - 1; i++) {
    const byte = bytes[i];
    if (byte < 0x20 || byte > 0x7e || byte === 0x5c) return undefined;
  }
  return ascii.decode(bytes.subarray(start + 1, end - 1));
}
