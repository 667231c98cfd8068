// The SDK against the API: its generated types match the document a running API serves, and a
// recall recorded through it reaches the audit log (real API, real PostgreSQL; run by `npm test`).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'sdk-contract',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.e2e-spec.ts'],
};
