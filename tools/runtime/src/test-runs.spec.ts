import type { PlaywrightTestConfig } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './stack';
import { browserRunCounts } from './test-runs';

/** Runs the fixture project with `args`; resolves with Playwright's exit code. */
function runPlaywright(args: string[], reportFile: string): Promise<number | null> {
  // Playwright refuses to run when it sees Jest's worker variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JEST_') && name !== 'CI'));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', join(__dirname, 'fixtures/flaky.playwright.config.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile },
      stdio: 'ignore',
    },
  );
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('browser test counts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'retract-pw-counts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a test that passed only on a retry (Playwright: "flaky") as failed', async () => {
    const report = join(dir, 'report.json');
    const code = await runPlaywright(['--retries=1'], report);
    expect(code).toBe(0); // Playwright itself lets a flaky run pass: the runner must not.
    expect(browserRunCounts(report, code)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  }, 60_000);

  it('counts the same test failing without retries as failed', async () => {
    const report = join(dir, 'report.json');
    const code = await runPlaywright(['--retries=0'], report);
    expect(code).not.toBe(0);
    expect(browserRunCounts(report, code)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  }, 60_000);

  it('counts a run without a report as failed', () => {
    expect(browserRunCounts(join(dir, 'missing.json'), 0)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });
});

describe('console Playwright settings', () => {
  it('never retries a failed test and fails a flaky one, also in CI', () => {
    const saved = process.env.CI;
    process.env.CI = 'true';
    try {
      // A fresh copy of the module: the config reads CI when it is loaded.
      jest.isolateModules(() => {
        const { default: config } = jest.requireActual<{ default: PlaywrightTestConfig }>('../../../apps/console/playwright.config');
        expect(config.retries).toBe(0);
        expect(config.failOnFlakyTests).toBe(true);
      });
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});
