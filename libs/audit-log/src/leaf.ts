import { decodeUtf8Strict } from './bytes';
import { canonicalJson, canonicalJsonBytes, type JsonObject, type JsonValue } from './canonical-json';
import { AuditLogError } from './errors';

/**
 * The versioned leaf envelope: a leaf is the RFC 8785 bytes of `{ "v": <version>, ...entry }`.
 * These bytes are stored and hashed as they are and never re-derived; `decodeLeaf`
 * accepts only bytes that are exactly what `encodeLeaf` would produce.
 *
 * Versions share the envelope and differ in what the server puts in the entry: in version 2
 * a person's free text, email or name is never a clear field (the server seals it in
 * `personal`; docs/audit-log.md, "Personal data"). Both verify the same way.
 */
export const LEAF_VERSION = 2;
/** Every version `decodeLeaf` accepts (old entries keep the version they were written with). */
export const LEAF_VERSIONS: readonly LeafVersion[] = [1, 2];
export type LeafVersion = 1 | 2;

/** The fields every entry has; everything else is free-form JSON chosen by the server. */
export interface AuditEntryFields {
  readonly tenantId: string;
  readonly seq: number;
  /** UTC with exactly millisecond precision: YYYY-MM-DDTHH:mm:ss.sssZ. */
  readonly occurredAt: string;
  /** SCREAMING_SNAKE, e.g. MESSAGE_RECALLED. */
  readonly action: string;
}

export type AuditEntry = AuditEntryFields & { readonly [field: string]: JsonValue };
export type AuditLeaf = AuditEntry & { readonly v: LeafVersion };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SCREAMING_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

export function encodeLeaf(entry: AuditEntry, version: LeafVersion = LEAF_VERSION): Uint8Array {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalidEntry('an entry is a JSON object');
  if ('v' in entry) throw invalidEntry('"v" is the envelope version and is set by encodeLeaf');
  const problem = entryFieldProblem(entry);
  if (problem) throw invalidEntry(problem);
  if (!LEAF_VERSIONS.includes(version)) throw invalidEntry(`unsupported envelope version ${JSON.stringify(version)}`);
  return canonicalJsonBytes({ v: version, ...entry });
}

/** Throws LEAF_INVALID unless `bytes` are a canonical leaf of a known version with valid common fields. */
export function decodeLeaf(bytes: Uint8Array): AuditLeaf {
  let text: string;
  let value: unknown;
  try {
    text = decodeUtf8Strict(bytes);
    value = JSON.parse(text);
  } catch {
    throw invalidLeaf('not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidLeaf('not a JSON object');
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch (error) {
    throw invalidLeaf((error as Error).message);
  }
  // Comparing strings is comparing bytes here: strict decoding means `text` has exactly one UTF-8 encoding.
  if (canonical !== text) throw invalidLeaf('not in RFC 8785 canonical form');
  const leaf = value as JsonObject;
  if (!LEAF_VERSIONS.includes(leaf.v as LeafVersion)) throw invalidLeaf(`unsupported envelope version ${JSON.stringify(leaf.v ?? null)}`);
  const problem = entryFieldProblem(leaf);
  if (problem) throw invalidLeaf(problem);
  return leaf as unknown as AuditLeaf;
}

export function isUtcMillisTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !UTC_MILLIS.test(value)) return false;
  const time = Date.parse(value);
  // Rejects impossible dates such as 2025-02-30, which Date.parse would roll over.
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function entryFieldProblem(entry: Readonly<Record<string, unknown>>): string | undefined {
  if (!isTenantId(entry.tenantId)) return 'tenantId must be a lower-case UUID string';
  if (typeof entry.seq !== 'number' || !Number.isSafeInteger(entry.seq) || entry.seq < 0) return 'seq must be an integer ≥ 0';
  if (!isUtcMillisTimestamp(entry.occurredAt)) return 'occurredAt must be UTC as YYYY-MM-DDTHH:mm:ss.sssZ';
  if (typeof entry.action !== 'string' || !SCREAMING_SNAKE.test(entry.action)) return 'action must be a SCREAMING_SNAKE string';
  return undefined;
}

function invalidEntry(reason: string): AuditLogError {
  return new AuditLogError('ENTRY_INVALID', `invalid audit entry: ${reason}`);
}

function invalidLeaf(reason: string): AuditLogError {
  return new AuditLogError('LEAF_INVALID', `invalid leaf: ${reason}`);
}
