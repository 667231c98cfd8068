// Unit tests of the console's pure helpers (browser behaviour is covered by e2e/ with Playwright).
module.exports = { ...require('../../jest.preset.js'), displayName: 'console', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
