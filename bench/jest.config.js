// Unit tests of the benchmark harness (parsing BENCH lines, the closing table); no database.
module.exports = { ...require('../jest.preset.js'), displayName: 'bench', rootDir: __dirname, testMatch: ['<rootDir>/*.spec.ts'] };
