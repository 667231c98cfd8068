import { defineConfig } from '@playwright/test';

/**
 * Runs side by side on one machine (each with a TEST_CONSOLE_DIST_DIR of its own, README "Tests") keep
 * their artifacts apart: Playwright empties its output directory when it starts, which removed the
 * traces another run was still writing.
 */
const run = /^\.next-([\w-]+)$/.exec(process.env.TEST_CONSOLE_DIST_DIR ?? '')?.[1];
const perRun = (dir: string) => (run ? `${dir}/${run}` : dir);

/**
 * Browser tests of the console. They expect the API and the console to be running already
 * (the project's test runner starts both; CONSOLE_URL points at the console). Chromium is the
 * Debian package: never download a browser with `playwright install`.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: perRun('./test-results'),
  // Tests share one seeded tenant and the API rate-limits sign-ins: run them one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // A test that passes only when retried is a failure to fix, not a pass (README, Tests).
  retries: 0,
  failOnFlakyTests: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: perRun('./playwright-report') }]],
  use: {
    baseURL: process.env.CONSOLE_URL ?? 'http://127.0.0.1:3000',
    browserName: 'chromium',
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
