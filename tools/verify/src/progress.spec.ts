import { describe as describeProgress, progressReporter } from './progress';
import { parseVerifyArgs, UsageError } from './args';

describe('progress', () => {
  it('shows entries, percentage and rate', () => {
    expect(describeProgress({ entries: 50_000, expectedEntries: 200_000 }, 2000)).toBe('verifying: 50,000 of 200,000 entries (25.0%), 25,000 entries/s');
  });

  it('prints at most four times a second on a terminal', () => {
    let time = 0;
    const written: string[] = [];
    const stream = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const reporter = progressReporter(stream, () => time);
    for (let step = 1; step <= 100; step++) {
      time = step * 20; // every 20 ms for 2 s
      reporter.onProgress({ entries: step * 1000, expectedEntries: 100_000 });
    }
    expect(written.length).toBeLessThanOrEqual(8);
    expect(written.length).toBeGreaterThanOrEqual(7);
    expect(written[0]).toMatch(/^\rverifying: /);
  });
});

describe('arguments', () => {
  it('accepts repeated keys and checkpoints, in both --flag value and --flag=value forms', () => {
    expect(parseVerifyArgs(['x.jsonl', '--trusted-key', 'a', '--trusted-key=b', '--checkpoint', 'c1', '--quiet'])).toEqual({
      exportFile: 'x.jsonl',
      trustedKeys: ['a', 'b'],
      checkpointFiles: ['c1'],
      quiet: true,
    });
  });

  it('takes a number of worker threads', () => {
    expect(parseVerifyArgs(['x.jsonl', '--workers', '0']).workers).toBe(0);
    expect(parseVerifyArgs(['x.jsonl', '--workers=3']).workers).toBe(3);
    expect(parseVerifyArgs(['x.jsonl']).workers).toBeUndefined();
  });

  it.each([[[]], [['a', 'b']], [['a', '--trusted-key']], [['a', '--nope']], [['a', '--quiet=yes']], [['a', '--workers', 'many']]])('refuses %j', (argv) => {
    expect(() => parseVerifyArgs(argv)).toThrow(UsageError);
  });
});
