module.exports = { ...require('../../jest.preset.js'), displayName: 'audit-log', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
