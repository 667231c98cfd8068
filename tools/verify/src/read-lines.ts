import { createReadStream } from 'node:fs';

// Far above any real line (a leaf is a few KiB); stops a corrupt file without newlines
// from being read into memory whole.
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * The file in pieces of about 1 MiB that end right after a newline (the last piece ends
 * where the file does), so that each piece holds whole lines. A piece is the only view of
 * the memory it starts (its ArrayBuffer is never pooled or shared), so it can be handed
 * to a worker thread without a copy. Errors (missing file, a directory) surface on
 * iteration.
 */
export async function* readLineChunks(file: string): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = carry.length > 0 ? ownedConcat(carry, chunk as Buffer) : (chunk as Buffer);
    const complete = bytes.lastIndexOf(0x0a) + 1;
    carry = ownedConcat(bytes.subarray(complete));
    if (complete > 0) yield bytes.subarray(0, complete);
    if (carry.length > MAX_LINE_LENGTH) throw new Error(`a line is longer than ${MAX_LINE_LENGTH / 1024 / 1024} MiB`);
  }
  if (carry.length > 0) yield carry;
}

// Buffer.concat and Buffer.from may return a slice of a shared pool.
function ownedConcat(...parts: Buffer[]): Buffer {
  const out = Buffer.allocUnsafeSlow(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) offset += part.copy(out, offset);
  return out;
}

/**
 * The lines of a piece from `readLineChunks` (a trailing "\r" is dropped). Each line is
 * decoded on its own: one non-ASCII character (the em dash of a checkpoint note) would
 * otherwise make the whole piece, and every line sliced from it, a slower two-byte string.
 */
export function* splitLines(bytes: Buffer): Generator<string> {
  let start = 0;
  for (let end = bytes.indexOf(0x0a); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) {
    yield decodeLine(bytes, start, end);
  }
  if (start < bytes.length) yield decodeLine(bytes, start, bytes.length);
}

/**
 * The file's lines, streamed. Splitting the bytes by hand is several times faster than
 * node:readline, which emits an event per line.
 */
export async function* readLines(file: string): AsyncGenerator<string> {
  for await (const chunk of readLineChunks(file)) yield* splitLines(chunk);
}

function decodeLine(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
}

/**
 * Only the lines that contain `needle`, found in the raw bytes (native memmem) without
 * decoding or splitting the rest: the checkpoint pre-scan reads the whole export to find
 * a few hundred lines.
 */
export async function* linesContaining(file: string, needle: string): AsyncGenerator<string> {
  const pattern = Buffer.from(needle, 'utf8');
  for await (const bytes of readLineChunks(file)) {
    for (let at = bytes.indexOf(pattern); at >= 0;) {
      const start = bytes.lastIndexOf(0x0a, at) + 1;
      const newline = bytes.indexOf(0x0a, at);
      const end = newline < 0 ? bytes.length : newline;
      yield decodeLine(bytes, start, end);
      if (newline < 0) break;
      at = bytes.indexOf(pattern, newline + 1);
    }
  }
}
