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

/**
 * `YYYY-MM-DDTHH:mm:ss.sssZ` naming a real instant: exactly what `toISOString` writes for years
 * 0000–9999, so impossible dates such as 2025-02-30 (which Date.parse would roll over) are refused.
 * Read digit by digit: the export verifier asks this of every entry, and building Dates cost more
 * than the leaf's hash.
 */
export function isUtcMillisTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const expected = TIMESTAMP_SHAPE.charCodeAt(i);
    const code = value.charCodeAt(i);
    if (expected === DIGIT ? code < 0x30 || code > 0x39 : code !== expected) return false;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    digits(value, 11, 2) <= 23 &&
    digits(value, 14, 2) <= 59 &&
    digits(value, 17, 2) <= 59
  );
}

/** The timestamp's form, `0` standing for any digit. */
const TIMESTAMP_SHAPE = '0000-00-00T00:00:00.000Z';
const DIGIT = 0x30;

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

/** Days in the month of the proleptic Gregorian calendar, as Date counts them. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
