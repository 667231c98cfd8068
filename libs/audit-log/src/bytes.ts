import { AuditLogError } from './errors';

const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 must be an error, not silently become U+FFFD.
// ignoreBOM: keep a leading BOM in the string so that strict parsers see and reject it.
const strictUtf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch {
    throw new AuditLogError('INVALID_UTF8', 'bytes are not valid UTF-8');
  }
}

type MaybeWellFormed = { isWellFormed?: () => boolean };

/** True when the string has no unpaired surrogate (so it has an exact UTF-8 encoding). */
export function isWellFormedUnicode(text: string): boolean {
  const native = (text as unknown as MaybeWellFormed).isWellFormed;
  return native ? native.call(text) : !/\p{Cs}/u.test(text);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function encodeHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Lower-case hex only: every hex string this library reads is one it (or Go's note package) wrote. */
export function decodeHex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new AuditLogError('INVALID_HEX', 'not lower-case hex of whole bytes');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Realm-independent check (Jest and iframes have their own Uint8Array). */
export function isBytesOfLength(value: unknown, length: number): value is Uint8Array {
  return ArrayBuffer.isView(value) && (value as Uint8Array).BYTES_PER_ELEMENT === 1 && value.byteLength === length;
}
