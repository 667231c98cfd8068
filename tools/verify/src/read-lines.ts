import { createReadStream } from 'node:fs';

// Far above any real line (a leaf is a few KiB); stops a corrupt file without newlines
// from being read into memory whole.
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * The file's lines, streamed (a trailing "\r" is dropped). Splitting by hand is several
 * times faster than node:readline, which emits an event per line, and decoding each
 * chunk up to its last newline at once avoids a streaming UTF-8 decoder; the verifier
 * reads every export twice. Errors (missing file, a directory) surface on iteration.
 */
export async function* readLines(file: string): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const complete = bytes.lastIndexOf(0x0a) + 1;
    const text = bytes.toString('utf8', 0, complete);
    for (let start = 0, end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
      yield withoutCr(text.slice(start, end));
    }
    carry = bytes.subarray(complete);
    if (carry.length > MAX_LINE_LENGTH) throw new Error(`a line is longer than ${MAX_LINE_LENGTH / 1024 / 1024} MiB`);
  }
  if (carry.length > 0) yield withoutCr(carry.toString('utf8'));
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
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
    yield withoutCr(bytes.toString('utf8', start, end));
    if (newline < 0) return;
    at = bytes.indexOf(pattern, newline + 1);
  }
}
