import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linesContaining, readLines } from './read-lines';

describe('readLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retract-lines-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function linesOf(content: string): Promise<string[]> {
    const file = join(dir, `f${Math.random()}`);
    writeFileSync(file, content);
    const lines: string[] = [];
    for await (const line of readLines(file)) lines.push(line);
    return lines;
  }

  it('splits on LF and CRLF, with or without a final newline', async () => {
    expect(await linesOf('a\nb\r\nc\n')).toEqual(['a', 'b', 'c']);
    expect(await linesOf('a\n\nb')).toEqual(['a', '', 'b']);
    expect(await linesOf('')).toEqual([]);
  });

  it('finds the lines containing a string, across chunks and at the end of the file', async () => {
    const file = join(dir, 'needles');
    const filler = 'x'.repeat(700_000);
    writeFileSync(file, `a needle\n${filler}\n${filler} needle —\r\nno\nlast needle`);
    const found: string[] = [];
    for await (const line of linesContaining(file, 'needle')) found.push(line);
    expect(found).toEqual(['a needle', `${filler} needle —`, 'last needle']);
  });

  it('keeps lines that span read chunks intact, including multi-byte characters', async () => {
    const long = '—'.repeat(600_000); // 1.8 MB of 3-byte characters, beyond one 1 MiB chunk
    expect(await linesOf(`x\n${long}\ny\n`)).toEqual(['x', long, 'y']);
  });
});
