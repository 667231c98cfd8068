// Every project's tests; `npm test` runs them against a fresh PostgreSQL database.
module.exports = {
  testTimeout: 30_000,
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js', '<rootDir>/tools/*/jest.config.js', '<rootDir>/bench/jest.config.js'],
};
