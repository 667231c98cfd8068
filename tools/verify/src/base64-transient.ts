import { decodeBase64 } from '@retract/audit-log';

const scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * `decodeBase64` into one reused buffer: the bytes are valid until the next call. For
 * the entry checks, which only hash and scan a leaf: `decodeBase64` copies every result
 * into a new ArrayBuffer, which costs as much as decoding (~1 µs for a leaf).
 */
export function decodeBase64Transient(text: string): Uint8Array {
  if ((text.length / 4) * 3 <= scratch.length) {
    const length = scratch.write(text, 'base64');
    // Node decodes leniently; the canonical text round-trips exactly, as in decodeBase64.
    if (scratch.toString('base64', 0, length) === text) return scratch.subarray(0, length);
  }
  return decodeBase64(text); // decodes what does not fit, or throws the precise reason
}
