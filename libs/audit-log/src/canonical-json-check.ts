import { MAX_DEPTH } from './canonical-json';

/**
 * Whether `bytes` are exactly the RFC 8785 form of the JSON they encode, i.e. equal to
 * `canonicalJsonBytes(JSON.parse(strictUtf8(bytes)))` (and that call would not throw) —
 * decided in one pass over the bytes, without parsing into values or re-serializing.
 *
 * Canonical text has one spelling for everything, so the check is local: no whitespace;
 * strings hold every character literally except `"`, `\` and the controls below U+0020
 * (`\b \t \n \f \r`, the rest as lower-case `\u00xx`), as strict UTF-8; numbers are the
 * ECMAScript shortest form of a finite double; object keys strictly increase in UTF-16
 * code unit order (which also rules out duplicates); at most MAX_DEPTH nested containers.
 */
export function isCanonicalJsonBytes(bytes: Uint8Array, members?: TopLevelMembers): boolean {
  const scan: Scan = { bytes, at: 0, plainString: true, members };
  if (members) members.count = 0;
  return scanValue(scan, 0) && scan.at === bytes.length;
}

/**
 * Filled by `isCanonicalJsonBytes` when the text is an object: where each top-level
 * member's key (without quotes) and value start and end, in text order. Reusable across
 * calls, so a caller that checks many objects allocates it once.
 */
export class TopLevelMembers {
  count = 0;
  keyStart: number[] = [];
  keyEnd: number[] = [];
  valueStart: number[] = [];
  valueEnd: number[] = [];
}

interface Scan {
  readonly bytes: Uint8Array;
  /** Position of the next unread byte. */
  at: number;
  /** Whether the string just scanned is printable ASCII without escapes (then bytes compare like UTF-16). */
  plainString: boolean;
  readonly members: TopLevelMembers | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

// Printable ASCII that stands for itself inside a canonical string.
const PLAIN = new Uint8Array(256);
for (let byte = 0x20; byte < 0x80; byte++) PLAIN[byte] = byte === QUOTE || byte === BACKSLASH ? 0 : 1;

// The escapes JSON.stringify writes with a letter; every other control is \u00xx.
const SHORT_ESCAPES = new Map([
  [0x62, 0x08], // \b
  [0x74, 0x09], // \t
  [0x6e, 0x0a], // \n
  [0x66, 0x0c], // \f
  [0x72, 0x0d], // \r
  [QUOTE, QUOTE],
  [BACKSLASH, BACKSLASH],
]);
const HAS_SHORT_ESCAPE = new Set(SHORT_ESCAPES.values());

const LITERALS = [
  [0x74, [0x74, 0x72, 0x75, 0x65]], // true
  [0x66, [0x66, 0x61, 0x6c, 0x73, 0x65]], // false
  [0x6e, [0x6e, 0x75, 0x6c, 0x6c]], // null
] as const;
const LITERAL_BY_FIRST_BYTE = new Map<number, readonly number[]>(LITERALS);

function scanValue(scan: Scan, depth: number): boolean {
  const byte = scan.bytes[scan.at];
  if (byte === QUOTE) return scanString(scan);
  if (byte === 0x7b) return depth < MAX_DEPTH && scanObject(scan, depth);
  if (byte === 0x5b) return depth < MAX_DEPTH && scanArray(scan, depth);
  if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) return scanNumber(scan);
  const literal = LITERAL_BY_FIRST_BYTE.get(byte);
  return literal !== undefined && scanLiteral(scan, literal);
}

function scanObject(scan: Scan, depth: number): boolean {
  const { bytes } = scan;
  const members = depth === 0 ? scan.members : undefined;
  scan.at++;
  if (bytes[scan.at] === 0x7d) {
    scan.at++;
    return true;
  }
  let previousStart = -1;
  let previousEnd = -1;
  let previousPlain = true;
  for (;;) {
    const keyStart = scan.at + 1;
    if (bytes[scan.at] !== QUOTE || !scanString(scan)) return false;
    const keyEnd = scan.at - 1;
    const plain = scan.plainString;
    if (previousStart >= 0 && !keysAscend(bytes, previousStart, previousEnd, previousPlain, keyStart, keyEnd, plain)) return false;
    if (bytes[scan.at] !== 0x3a) return false;
    scan.at++;
    const valueStart = scan.at;
    if (!scanValue(scan, depth + 1)) return false;
    if (members) {
      const i = members.count++;
      members.keyStart[i] = keyStart;
      members.keyEnd[i] = keyEnd;
      members.valueStart[i] = valueStart;
      members.valueEnd[i] = scan.at;
    }
    previousStart = keyStart;
    previousEnd = keyEnd;
    previousPlain = plain;
    const next = bytes[scan.at++];
    if (next === 0x7d) return true;
    if (next !== 0x2c) return false;
  }
}

function scanArray(scan: Scan, depth: number): boolean {
  const { bytes } = scan;
  scan.at++;
  if (bytes[scan.at] === 0x5d) {
    scan.at++;
    return true;
  }
  for (;;) {
    if (!scanValue(scan, depth + 1)) return false;
    const next = bytes[scan.at++];
    if (next === 0x5d) return true;
    if (next !== 0x2c) return false;
  }
}

function scanString(scan: Scan): boolean {
  const { bytes } = scan;
  let at = scan.at + 1;
  let plain = true;
  for (;;) {
    while (PLAIN[bytes[at]] === 1) at++;
    const byte = bytes[at];
    if (byte === QUOTE) break;
    plain = false;
    if (byte === BACKSLASH) {
      at = escapeEnd(bytes, at);
    } else if (byte >= 0x80) {
      at = utf8SequenceEnd(bytes, at);
    } else {
      return false; // a raw control character, or the end of the input
    }
    if (at < 0) return false;
  }
  scan.at = at + 1;
  scan.plainString = plain;
  return true;
}

/** End of the escape at `at` when it is the one JSON.stringify writes for its character, else -1. */
function escapeEnd(bytes: Uint8Array, at: number): number {
  const letter = bytes[at + 1];
  if (SHORT_ESCAPES.has(letter)) return at + 2;
  if (letter !== 0x75) return -1;
  // \u00xx, lower-case hex, only for controls without a short escape.
  if (bytes[at + 2] !== 0x30 || bytes[at + 3] !== 0x30) return -1;
  const high = bytes[at + 4];
  const low = lowerHexValue(bytes[at + 5]);
  if ((high !== 0x30 && high !== 0x31) || low < 0) return -1;
  const code = (high - 0x30) * 16 + low;
  return HAS_SHORT_ESCAPE.has(code) ? -1 : at + 6;
}

function lowerHexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
}

/**
 * End of the UTF-8 sequence at `at`, or -1 where a fatal TextDecoder would fail: the
 * shortest form only, no surrogates, nothing above U+10FFFF (WHATWG Encoding, UTF-8 decoder).
 */
function utf8SequenceEnd(bytes: Uint8Array, at: number): number {
  const lead = bytes[at];
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return -1;
  const second = bytes[at + 1];
  if (!(second >= low && second <= high)) return -1;
  for (let i = 2; i < length; i++) {
    const next = bytes[at + i];
    if (!(next >= 0x80 && next <= 0xbf)) return -1;
  }
  return at + length;
}

function scanNumber(scan: Scan): boolean {
  const { bytes } = scan;
  const start = scan.at;
  let at = start;
  let digitsOnly = true;
  for (;;) {
    const byte = bytes[at];
    if (byte >= 0x30 && byte <= 0x39) at++;
    else if (byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x65 || byte === 0x45) {
      if (at > start) digitsOnly = false;
      at++;
    } else break;
  }
  scan.at = at;
  const first = bytes[start] === 0x2d ? start + 1 : start;
  // Integers below 10^15 are their own shortest form unless they have a leading zero or are -0.
  if (digitsOnly && at > first && at - first <= 15) return bytes[first] !== 0x30 || (at - first === 1 && first === start);
  let text = '';
  for (let i = start; i < at; i++) text += String.fromCharCode(bytes[i]);
  const value = Number(text);
  // Every finite Number-to-String result is also valid JSON number syntax.
  return Number.isFinite(value) && String(value) === text;
}

function scanLiteral(scan: Scan, literal: readonly number[]): boolean {
  for (let i = 0; i < literal.length; i++) if (scan.bytes[scan.at + i] !== literal[i]) return false;
  scan.at += literal.length;
  return true;
}

const utf8 = new TextDecoder();

/**
 * Whether key a (bytes [aStart, aEnd), without quotes) sorts strictly before key b, by
 * UTF-16 code units as RFC 8785 requires. Plain ASCII compares byte by byte; keys with
 * escapes or non-ASCII characters (rare) are decoded first: UTF-8 byte order is code
 * point order, which differs from UTF-16 order above U+FFFF.
 */
function keysAscend(bytes: Uint8Array, aStart: number, aEnd: number, aPlain: boolean, bStart: number, bEnd: number, bPlain: boolean): boolean {
  if (!aPlain || !bPlain) return decodeKey(bytes, aStart, aEnd) < decodeKey(bytes, bStart, bEnd);
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const difference = bytes[aStart + i] - bytes[bStart + i];
    if (difference !== 0) return difference < 0;
  }
  return aEnd - aStart < bEnd - bStart;
}

function decodeKey(bytes: Uint8Array, start: number, end: number): string {
  return JSON.parse(utf8.decode(bytes.subarray(start - 1, end + 1))) as string;
}
