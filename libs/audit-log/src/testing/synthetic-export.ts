import {
  appendToFrontier,
  EMPTY_FRONTIER,
  encodeBase64,
  encodeLeaf,
  formatExportCheckpoint,
  formatExportEntry,
  formatExportHeader,
  formatExportTrailer,
  formatVerifierKey,
  frontierRoot,
  hashLeaf,
  noteSignerFromPrivateKey,
  serializeFrontier,
  signCheckpoint,
  type AuditEntry,
  type Frontier,
  type LeafVersion,
  type NoteSignerKey,
} from '../index';

/**
 * Deterministic audit exports for tests and the benchmark: realistic-looking entries
 * (ids, reasons, an encrypted-content envelope), checkpoints every N entries, written
 * the way the server exports (checkpoints right after the entry that completes their
 * size, trailer last).
 */
export interface SyntheticExportOptions {
  readonly entries: number;
  /** First exported seq; the entries before it are generated only to build the frontier. */
  readonly fromSeq?: number;
  /** A checkpoint every this many entries (and one at the end); 0 means only at the end. */
  readonly checkpointEvery?: number;
  /** 'interleaved' (default) writes each checkpoint after its last entry, 'end' after all entries. */
  readonly checkpointPlacement?: 'interleaved' | 'end';
  readonly signer?: NoteSignerKey;
  readonly tenantId?: string;
  readonly origin?: string;
  /** Bytes of fake ciphertext per entry. */
  readonly contentBytes?: number;
  /** Lets a test produce a different history (e.g. one rewritten entry, consistently re-hashed). */
  readonly editEntry?: (entry: AuditEntry) => AuditEntry;
  /** Envelope version of each leaf (default: the current one); a log written before a format change has older ones first. */
  readonly versionOf?: (seq: number) => LeafVersion;
}

export const SYNTHETIC_TENANT_ID = '0b6f3c1e-5d2a-4f8e-9a41-7c2d9e8b1a30';
export const SYNTHETIC_ORIGIN = 'retract.example/audit/0b6f3c1e-5d2a-4f8e-9a41-7c2d9e8b1a30';

export function syntheticSigner(seedByte = 7, name = SYNTHETIC_ORIGIN): NoteSignerKey {
  return noteSignerFromPrivateKey(name, new Uint8Array(32).fill(seedByte));
}

export interface SyntheticExport {
  readonly lines: string[];
  readonly checkpoints: string[];
  readonly signer: NoteSignerKey;
  readonly vkey: string;
}

export function buildSyntheticExport(options: SyntheticExportOptions): SyntheticExport {
  const signer = options.signer ?? syntheticSigner();
  const lines = [...syntheticExportLines({ ...options, signer })];
  const checkpoints = lines.filter((line) => line.startsWith('{"type":"checkpoint"')).map((line) => (JSON.parse(line) as { note: string }).note);
  return { lines, checkpoints, signer, vkey: formatVerifierKey(signer) };
}

export function* syntheticExportLines(options: SyntheticExportOptions): Generator<string> {
  const signer = options.signer ?? syntheticSigner();
  const tenantId = options.tenantId ?? SYNTHETIC_TENANT_ID;
  const origin = options.origin ?? SYNTHETIC_ORIGIN;
  const fromSeq = options.fromSeq ?? 0;
  const toSeq = fromSeq + options.entries - 1;
  const every = options.checkpointEvery ?? 0;
  const placement = options.checkpointPlacement ?? 'interleaved';
  const leafOf = (seq: number) =>
    encodeLeaf((options.editEntry ?? ((e) => e))(syntheticEntry(tenantId, seq, options.contentBytes ?? 96)), options.versionOf?.(seq));

  let frontier: Frontier = EMPTY_FRONTIER;
  for (let seq = 0; seq < fromSeq; seq++) frontier = appendToFrontier(frontier, hashLeaf(leafOf(seq))).frontier;

  yield formatExportHeader({
    tenantId,
    origin,
    fromSeq,
    toSeq,
    exportedAt: '2025-06-01T12:00:00.000Z',
    publicKeys: [{ name: signer.name, vkey: formatVerifierKey(signer) }],
    frontier: serializeFrontier(frontier),
  });
  const deferred: string[] = [];
  for (let seq = fromSeq; seq <= toSeq; seq++) {
    const leaf = leafOf(seq);
    const leafHash = hashLeaf(leaf);
    frontier = appendToFrontier(frontier, leafHash).frontier;
    yield formatExportEntry(seq, leaf, leafHash);
    const size = seq + 1;
    if ((every > 0 && size % every === 0) || seq === toSeq) {
      const note = formatExportCheckpoint(signCheckpoint({ origin, size, rootHash: frontierRoot(frontier) }, signer));
      if (placement === 'interleaved') yield note;
      else deferred.push(note);
    }
  }
  yield* deferred;
  yield formatExportTrailer(options.entries);
}

const ACTIONS = ['MESSAGE_RECALLED', 'RECALL_DENIED', 'MESSAGE_REEDITED', 'POLICY_CHANGED', 'AUDIT_CONTENT_VIEWED'] as const;
const START_MS = Date.parse('2025-01-01T00:00:00.000Z');

export function syntheticEntry(tenantId: string, seq: number, contentBytes: number): AuditEntry {
  const random = pseudoRandomBytes(seq, 16 + 12 + contentBytes);
  return {
    tenantId,
    seq,
    occurredAt: new Date(START_MS + seq * 1500).toISOString(),
    action: ACTIONS[seq % ACTIONS.length],
    actorId: uuidFrom(random.subarray(0, 16)),
    messageId: uuidFrom(random.subarray(4, 20)),
    conversationId: uuidFrom(random.subarray(8, 24)),
    policyVersion: 1 + (seq % 7),
    rule: 'WITHIN_WINDOW',
    reason: seq % 3 === 0 ? 'sent to the wrong conversation' : null,
    forced: seq % 50 === 0,
    alreadyDeliveredTo: [uuidFrom(random.subarray(12, 28))],
    content: {
      alg: 'AES-256-GCM',
      kid: `dek-${seq % 97}`,
      nonce: encodeBase64(random.subarray(16, 28)),
      ct: encodeBase64(random.subarray(28)),
    },
  };
}

// xorshift32: fast and deterministic; cryptographic quality is irrelevant for fixtures.
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761 + 1) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function uuidFrom(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
