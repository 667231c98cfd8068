import { encodeBase64 } from './base64';
import { parseFrontier, type SerializedFrontier } from './compact-range';
import { AuditLogError } from './errors';
import { isTenantId, isUtcMillisTimestamp } from './leaf';
import { parseVerifierKey } from './signed-note';
import { isTreeSize } from './tree-math';

/**
 * The audit export: JSON Lines, one object per line, described in README.md ("Export
 * format"). A header, the entries in seq order, checkpoint notes anywhere after the
 * header, and optionally a trailer.
 */
export const EXPORT_FORMAT = 'retract-audit-export';
export const EXPORT_FORMAT_VERSION = 1;

export interface ExportPublicKey {
  readonly name: string;
  /** Verifier key `<name>+<key ID hex>+<base64(0x01 || public key)>`. */
  readonly vkey: string;
}

export interface ExportHeader {
  readonly type: 'header';
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_FORMAT_VERSION;
  readonly tenantId: string;
  /** The checkpoint origin of the tenant's log. */
  readonly origin: string;
  readonly fromSeq: number;
  /** Last seq in the export; fromSeq - 1 for an export without entries. */
  readonly toSeq: number;
  readonly exportedAt: string;
  readonly publicKeys: readonly ExportPublicKey[];
  /** Compact range of the tree before fromSeq (size = fromSeq), so a partial export can rebuild roots. */
  readonly frontier: SerializedFrontier;
}

export interface ExportEntry {
  readonly type: 'entry';
  readonly seq: number;
  /** base64 of the stored leaf bytes. */
  readonly leaf: string;
  /** base64 of the stored leaf hash; the verifier recomputes it to point at a tampered leaf. */
  readonly leafHash: string;
}

export interface ExportCheckpoint {
  readonly type: 'checkpoint';
  readonly note: string;
}

export interface ExportTrailer {
  readonly type: 'trailer';
  readonly entries: number;
}

export type ExportLine = ExportHeader | ExportEntry | ExportCheckpoint | ExportTrailer;
export type ExportHeaderInput = Omit<ExportHeader, 'type' | 'format' | 'version'>;

export function formatExportHeader(header: ExportHeaderInput): string {
  const line = JSON.stringify({
    type: 'header',
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    tenantId: header.tenantId,
    origin: header.origin,
    fromSeq: header.fromSeq,
    toSeq: header.toSeq,
    exportedAt: header.exportedAt,
    publicKeys: header.publicKeys.map(({ name, vkey }) => ({ name, vkey })),
    frontier: { size: header.frontier.size, hashes: header.frontier.hashes },
  });
  parseExportLine(line); // an exporter must not write what the verifier rejects
  return line;
}

export function formatExportEntry(seq: number, leaf: Uint8Array, leafHash: Uint8Array): string {
  return JSON.stringify({ type: 'entry', seq, leaf: encodeBase64(leaf), leafHash: encodeBase64(leafHash) });
}

export function formatExportCheckpoint(note: string): string {
  return JSON.stringify({ type: 'checkpoint', note });
}

export function formatExportTrailer(entries: number): string {
  return JSON.stringify({ type: 'trailer', entries });
}

/** Parses and shape-checks one line; throws EXPORT_LINE_INVALID. Unknown fields are refused. */
export function parseExportLine(line: string): ExportLine {
  const record = parseJsonObjectLine(line);
  switch (record.type) {
    case 'entry':
      return parseEntry(record);
    case 'checkpoint':
      expectFields(record, ['type', 'note']);
      if (typeof record.note !== 'string') throw invalidLine('checkpoint note must be a string');
      return record as unknown as ExportCheckpoint;
    case 'header':
      return parseHeader(record);
    case 'trailer':
      expectFields(record, ['type', 'entries']);
      if (!isTreeSize(record.entries)) throw invalidLine('trailer entries must be an integer ≥ 0');
      return record as unknown as ExportTrailer;
    default:
      throw invalidLine(`unknown line type ${JSON.stringify(record.type ?? null)}`);
  }
}

function parseEntry(record: Record<string, unknown>): ExportEntry {
  expectFields(record, ['type', 'seq', 'leaf', 'leafHash']);
  if (!isTreeSize(record.seq)) throw invalidLine('entry seq must be an integer ≥ 0');
  if (typeof record.leaf !== 'string' || typeof record.leafHash !== 'string') throw invalidLine('entry leaf and leafHash must be base64 strings');
  return record as unknown as ExportEntry;
}

function parseHeader(record: Record<string, unknown>): ExportHeader {
  expectFields(record, ['type', 'format', 'version', 'tenantId', 'origin', 'fromSeq', 'toSeq', 'exportedAt', 'publicKeys', 'frontier']);
  if (record.format !== EXPORT_FORMAT) throw invalidLine(`format must be "${EXPORT_FORMAT}"`);
  if (record.version !== EXPORT_FORMAT_VERSION) throw invalidLine(`unsupported export version ${JSON.stringify(record.version)}`);
  if (!isTenantId(record.tenantId)) throw invalidLine('tenantId must be a lower-case UUID');
  if (typeof record.origin !== 'string' || record.origin.length === 0) throw invalidLine('origin must be a non-empty string');
  if (!isTreeSize(record.fromSeq)) throw invalidLine('fromSeq must be an integer ≥ 0');
  if (typeof record.toSeq !== 'number' || !Number.isSafeInteger(record.toSeq) || record.toSeq < record.fromSeq - 1) {
    throw invalidLine('toSeq must be an integer ≥ fromSeq - 1');
  }
  if (!isUtcMillisTimestamp(record.exportedAt)) throw invalidLine('exportedAt must be UTC as YYYY-MM-DDTHH:mm:ss.sssZ');
  checkPublicKeys(record.publicKeys);
  let frontierSize: number;
  try {
    frontierSize = parseFrontier(record.frontier).size;
  } catch (error) {
    throw invalidLine((error as Error).message);
  }
  if (frontierSize !== record.fromSeq) throw invalidLine('frontier.size must equal fromSeq');
  return record as unknown as ExportHeader;
}

/** Checks a header's publicKeys: a non-empty array of {name, vkey} whose vkey parses and carries that name. */
export function checkPublicKeys(value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) throw invalidLine('publicKeys must be a non-empty array');
  for (const key of value as unknown[]) checkPublicKey(key);
}

function checkPublicKey(value: unknown): void {
  if (typeof value !== 'object' || value === null) throw invalidLine('publicKeys entries must be {name, vkey}');
  const key = value as Record<string, unknown>;
  expectFields(key, ['name', 'vkey']);
  if (typeof key.name !== 'string' || typeof key.vkey !== 'string') throw invalidLine('publicKeys entries must be {name, vkey}');
  let parsedName: string;
  try {
    parsedName = parseVerifierKey(key.vkey).name;
  } catch (error) {
    throw invalidLine(`public key ${JSON.stringify(key.name)}: ${(error as Error).message}`);
  }
  if (parsedName !== key.name) throw invalidLine(`public key name ${JSON.stringify(key.name)} differs from its vkey`);
}

/** One line of a JSON Lines file as an object; throws EXPORT_LINE_INVALID. */
export function parseJsonObjectLine(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw invalidLine('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidLine('not a JSON object');
  return value as Record<string, unknown>;
}

/** Refuses a record with a field not listed or without a listed one; throws EXPORT_LINE_INVALID. */
export function expectFields(record: Record<string, unknown>, fields: readonly string[]): void {
  for (const key of Object.keys(record)) if (!fields.includes(key)) throw invalidLine(`unexpected field "${key}"`);
  for (const field of fields) if (!(field in record)) throw invalidLine(`missing field "${field}"`);
}

export function invalidLine(reason: string): AuditLogError {
  return new AuditLogError('EXPORT_LINE_INVALID', reason);
}
