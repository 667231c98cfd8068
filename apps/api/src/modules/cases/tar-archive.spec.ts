import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { tarArchive } from './tar-archive';

describe('tarArchive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retract-tar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes archives that the system tar lists and extracts byte for byte', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.[a-z]{2,5}$/), { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 2000 }),
        (names, bytes) => {
          const files = names.map((name, i) => ({ name, content: Buffer.from(bytes.subarray(0, bytes.length - i)) }));
          const file = join(dir, 'case.tar');
          writeFileSync(file, tarArchive(files, new Date('2026-01-01T00:00:00Z')));
          expect(execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(names);
          execFileSync('tar', ['-xf', file, '-C', dir]);
          for (const { name, content } of files) expect(readFileSync(join(dir, name)).equals(content)).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses a name tar could not hold in its header', () => {
    expect(() => tarArchive([{ name: 'x'.repeat(100), content: Buffer.alloc(0) }], new Date())).toThrow(/under 100 bytes/);
    expect(() => tarArchive([{ name: 'café.txt', content: Buffer.alloc(0) }], new Date())).toThrow(/ASCII/);
  });
});
