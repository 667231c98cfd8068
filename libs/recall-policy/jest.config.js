module.exports = { ...require('../../jest.preset.js'), displayName: 'recall-policy', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
