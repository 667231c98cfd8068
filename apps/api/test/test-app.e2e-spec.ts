import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Runs Jest on one fixture spec of this project; resolves with its exit code and output, or `timedOut` after `ms`. */
function runFixture(fixture: string, ms: number): Promise<{ code: number | null; timedOut: boolean; output: string }> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/jest/bin/jest.js'),
      '-c',
      join(ROOT, 'apps/api/jest.config.js'),
      '--ci',
      '--runInBand',
      '--testMatch',
      `**/test/fixtures/${fixture}`,
    ],
    {
      cwd: ROOT,
      env: process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((done) => {
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, timedOut: signal === 'SIGKILL', output });
    });
  });
}

describe('test app fixture', () => {
  // A spec whose teardown threw before closing its app kept Jest's process alive for good (a
  // worker "failed to exit gracefully and has been force exited" at the end of npm test).
  it('closes an app the spec left open, so that Jest exits, and fails the spec for it', async () => {
    const run = await runFixture('teardown-throws.fixture.ts', 45_000);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(1);
    expect(run.output).toContain('1 test app(s) were not closed by the spec');
    expect(run.output).not.toContain('Jest did not exit');
  }, 60_000);
});
