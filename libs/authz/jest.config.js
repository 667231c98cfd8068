module.exports = { ...require('../../jest.preset.js'), displayName: 'authz', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
