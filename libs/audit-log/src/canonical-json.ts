import { isWellFormedUnicode, utf8Bytes } from './bytes';
import { AuditLogError } from './errors';

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// Deeper input is almost certainly a mistake (or a cycle); fail with a clear error
// instead of a stack overflow.
export const MAX_DEPTH = 256;

/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * Not the `canonicalize` package: it produces the same output for JSON values (the spec
 * tests check both), but it quietly drops `undefined` properties, turns `undefined` in
 * arrays into `null`, calls `toJSON` (a Date becomes a string) and escapes lone
 * surrogates. For audit leaves a value that is not plain JSON is a bug to surface,
 * never something to coerce.
 *
 * Numbers and strings are serialized by `JSON.stringify`, which RFC 8785 §3.2.2 adopts
 * (ECMAScript Number-to-String and JSON string escaping); keys are sorted by UTF-16 code
 * units, which is what the default `Array.prototype.sort` compares.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, 0);
}

export function canonicalJsonBytes(value: unknown): Uint8Array {
  return utf8Bytes(serialize(value, 0));
}

function serialize(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw notJson(`non-finite number ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw notJson(`nesting deeper than ${MAX_DEPTH}`);
      if (Array.isArray(value)) return serializeArray(value, depth + 1);
      if (!isPlainObject(value)) throw notJson(`a ${value.constructor?.name ?? 'non-plain'} object`);
      return serializeObject(value as Record<string, unknown>, depth + 1);
    default:
      // undefined, function, bigint, symbol
      throw notJson(`a value of type ${typeof value}`);
  }
}

function serializeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) throw notJson(`a hole at array index ${i}`);
    if (i > 0) out += ',';
    out += serialize(items[i], depth);
  }
  return out + ']';
}

function serializeObject(object: Record<string, unknown>, depth: number): string {
  const keys = Object.keys(object).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (i > 0) out += ',';
    out += serializeString(key) + ':' + serialize(object[key], depth);
  }
  return out + '}';
}

function serializeString(text: string): string {
  // I-JSON (RFC 7493), which RFC 8785 requires, forbids unpaired surrogates.
  if (!isWellFormedUnicode(text)) throw notJson('a string with an unpaired surrogate');
  return JSON.stringify(text);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null;
}

function notJson(what: string): AuditLogError {
  return new AuditLogError('NOT_CANONICAL_JSON', `cannot canonicalize ${what}: only plain JSON values are allowed`);
}
