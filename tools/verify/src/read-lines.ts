import { createReadStream } from 'node:fs';

// Far above any real line (a leaf is a few KiB); stops a corrupt file without newlines
// from being read into memory whole.
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * The file's lines, streamed (a trailing "\r" is dropped). Splitting the bytes by hand is
 * several times faster than node:readline, which emits an event per line. Each line is
 * decoded on its own: one non-ASCII character (the em dash of a checkpoint note) would
 * otherwise make the whole chunk, and every line sliced from it, a slower two-byte
 * string. Errors (missing file, a directory) surface on iteration.
 */
export async function* readLines(file: string): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) {
      yield decodeLine(bytes, start, end);
    }
    carry = bytes.subarray(start);
    if (carry.length > MAX_LINE_LENGTH) throw new Error(`a line is longer than ${MAX_LINE_LENGTH / 1024 / 1024} MiB`);
  }
  if (carry.length > 0) yield decodeLine(carry, 0, carry.length);
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
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const complete = bytes.lastIndexOf(0x0a) + 1;
    yield* matchingLines(bytes.subarray(0, complete), pattern);
    carry = bytes.subarray(complete);
    if (carry.length > MAX_LINE_LENGTH) throw new Error(`a line is longer than ${MAX_LINE_LENGTH / 1024 / 1024} MiB`);
  }
  yield* matchingLines(carry, pattern);
}

function* matchingLines(bytes: Buffer, pattern: Buffer): Generator<string> {
  for (let at = bytes.indexOf(pattern); at >= 0; ) {
    const start = bytes.lastIndexOf(0x0a, at) + 1;
    const newline = bytes.indexOf(0x0a, at);
    const end = newline < 0 ? bytes.length : newline;
    yield decodeLine(bytes, start, end);
    if (newline < 0) return;
    at = bytes.indexOf(pattern, newline + 1);
  }
}
