module.exports = { ...require('../../jest.preset.js'), displayName: 'test-hygiene', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
