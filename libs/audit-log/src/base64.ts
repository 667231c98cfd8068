import { AuditLogError } from './errors';

// Standard alphabet with padding (RFC 4648 §4), as C2SP signed notes and checkpoints use.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + '=';
  }
  return out;
}

type NodeBufferLike = ArrayLike<number> & { toString(encoding: 'base64'): string };
const nodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): NodeBufferLike } }).Buffer;

/**
 * Strict decoding: padding required, no whitespace, and the unused low bits of the last
 * character must be zero. Every byte string therefore has exactly one accepted encoding,
 * so a signed or hashed text cannot be varied without changing what it decodes to.
 */
export function decodeBase64(text: string): Uint8Array {
  return nodeBuffer ? decodeBase64WithNodeBuffer(text) : decodeBase64Portable(text);
}

// Node's decoder is native but lenient (it skips junk); re-encoding and comparing makes
// it exactly as strict as the portable decoder, and still faster for leaf-sized inputs.
function decodeBase64WithNodeBuffer(text: string): Uint8Array {
  const buffer = (nodeBuffer as NonNullable<typeof nodeBuffer>).from(text, 'base64');
  if (buffer.toString('base64') !== text) return decodeBase64Portable(text); // throws the precise reason
  return new Uint8Array(buffer); // a copy: small Buffers share a pool
}

/** The decoder used where there is no Buffer (browsers); exported for tests. */
export function decodeBase64Portable(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw invalid('length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const fullQuads = padding === 0 ? text.length : text.length - 4;
  let o = 0;
  // Hot path of the export verifier (every leaf): one table lookup per character; an
  // invalid character maps to -1, which makes the OR of the quad negative.
  for (let i = 0; i < fullQuads; i += 4) {
    const n = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    if (n < 0) throw invalid(`unexpected character near ${i}`);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (padding > 0) {
    const a = sextet(text, fullQuads);
    const b = sextet(text, fullQuads + 1);
    const c = padding === 1 ? sextet(text, fullQuads + 2) : 0;
    if ((a | b | c) < 0) throw invalid(`unexpected character near ${fullQuads}`);
    if (padding === 2 ? (b & 15) !== 0 : (c & 3) !== 0) throw invalid('non-zero padding bits');
    out[o++] = (a << 2) | (b >> 4);
    if (padding === 1) out[o] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

/** Decodes and checks the length, e.g. 32 for a SHA-256 hash. */
export function decodeBase64OfLength(text: string, length: number): Uint8Array {
  const bytes = decodeBase64(text);
  if (bytes.length !== length) throw invalid(`expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

// -1 (so the quad goes negative) for anything outside the alphabet, '=' included.
function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? VALUE_OF[code] : -1;
}

function invalid(reason: string): AuditLogError {
  return new AuditLogError('INVALID_BASE64', `invalid base64: ${reason}`);
}
