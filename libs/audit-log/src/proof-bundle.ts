import { encodeBase64 } from './base64';
import { checkPublicKeys, expectFields, invalidLine, parseExportLine, parseJsonObjectLine, type ExportPublicKey } from './export-format';
import { isTenantId, isUtcMillisTimestamp } from './leaf';

/**
 * A proof bundle (README.md, "Proof bundles"): chosen entries of one log — a case — each with its
 * RFC 9162 inclusion proof against one signed checkpoint, so they verify offline without the
 * entries between them. JSON Lines: a header, the checkpoint, the entries in ascending seq order
 * (gaps allowed), a trailer.
 */
export const PROOF_BUNDLE_FORMAT = 'retract-audit-proofs';
export const PROOF_BUNDLE_FORMAT_VERSION = 1;
/** A tree of up to 2^53 - 1 leaves has at most 53 levels; 64 is the API's bound. */
const MAX_PROOF_LENGTH = 64;

export interface ProofBundleHeader {
  readonly type: 'header';
  readonly format: typeof PROOF_BUNDLE_FORMAT;
  readonly version: typeof PROOF_BUNDLE_FORMAT_VERSION;
  readonly tenantId: string;
  readonly origin: string;
  /** The size of the signed checkpoint every proof is against. */
  readonly treeSize: number;
  readonly exportedAt: string;
  readonly publicKeys: readonly ExportPublicKey[];
}

export interface ProofBundleEntry {
  readonly type: 'entry';
  readonly seq: number;
  readonly leaf: string;
  readonly leafHash: string;
  /** base64 hashes of the inclusion proof of `seq` in the tree of `treeSize`, leaf level first. */
  readonly proof: readonly string[];
}

export type ProofBundleLine =
  ProofBundleHeader | ProofBundleEntry | { readonly type: 'checkpoint'; readonly note: string } | { readonly type: 'trailer'; readonly entries: number };

export type ProofBundleHeaderInput = Omit<ProofBundleHeader, 'type' | 'format' | 'version'>;

export function formatProofBundleHeader(header: ProofBundleHeaderInput): string {
  const line = JSON.stringify({
    type: 'header',
    format: PROOF_BUNDLE_FORMAT,
    version: PROOF_BUNDLE_FORMAT_VERSION,
    tenantId: header.tenantId,
    origin: header.origin,
    treeSize: header.treeSize,
    exportedAt: header.exportedAt,
    publicKeys: header.publicKeys.map(({ name, vkey }) => ({ name, vkey })),
  });
  parseProofBundleLine(line); // a bundle must not hold what the verifier rejects
  return line;
}

export function formatProofBundleEntry(seq: number, leaf: Uint8Array, leafHash: Uint8Array, proof: readonly Uint8Array[]): string {
  return JSON.stringify({ type: 'entry', seq, leaf: encodeBase64(leaf), leafHash: encodeBase64(leafHash), proof: proof.map(encodeBase64) });
}

/** Whether a first line announces a proof bundle rather than an export (a cheap look before parsing). */
export function isProofBundleHeaderLine(line: string): boolean {
  return line.startsWith('{') && line.includes(`"format":"${PROOF_BUNDLE_FORMAT}"`);
}

/** Parses and shape-checks one line of a proof bundle; throws EXPORT_LINE_INVALID. Unknown fields are refused. */
export function parseProofBundleLine(line: string): ProofBundleLine {
  const record = parseJsonObjectLine(line);
  if (record.type === 'header') return parseHeader(record);
  if (record.type !== 'entry') {
    const parsed = parseExportLine(line);
    if (parsed.type === 'header' || parsed.type === 'entry') throw invalidLine(`unexpected ${parsed.type}`);
    return parsed;
  }
  expectFields(record, ['type', 'seq', 'leaf', 'leafHash', 'proof']);
  if (typeof record.seq !== 'number' || !Number.isSafeInteger(record.seq) || record.seq < 0) throw invalidLine('entry seq must be an integer ≥ 0');
  if (typeof record.leaf !== 'string' || typeof record.leafHash !== 'string') throw invalidLine('entry leaf and leafHash must be base64 strings');
  if (!Array.isArray(record.proof) || record.proof.length > MAX_PROOF_LENGTH || !record.proof.every((hash) => typeof hash === 'string')) {
    throw invalidLine(`entry proof must be an array of at most ${MAX_PROOF_LENGTH} base64 hashes`);
  }
  return record as unknown as ProofBundleEntry;
}

function parseHeader(record: Record<string, unknown>): ProofBundleHeader {
  expectFields(record, ['type', 'format', 'version', 'tenantId', 'origin', 'treeSize', 'exportedAt', 'publicKeys']);
  if (record.format !== PROOF_BUNDLE_FORMAT) throw invalidLine(`format must be "${PROOF_BUNDLE_FORMAT}"`);
  if (record.version !== PROOF_BUNDLE_FORMAT_VERSION) throw invalidLine(`unsupported proof bundle version ${JSON.stringify(record.version)}`);
  if (!isTenantId(record.tenantId)) throw invalidLine('tenantId must be a lower-case UUID');
  if (typeof record.origin !== 'string' || record.origin.length === 0) throw invalidLine('origin must be a non-empty string');
  if (typeof record.treeSize !== 'number' || !Number.isSafeInteger(record.treeSize) || record.treeSize < 0)
    throw invalidLine('treeSize must be an integer ≥ 0');
  if (!isUtcMillisTimestamp(record.exportedAt)) throw invalidLine('exportedAt must be UTC as YYYY-MM-DDTHH:mm:ss.sssZ');
  checkPublicKeys(record.publicKeys);
  return record as unknown as ProofBundleHeader;
}
