// The Rocket.Chat App's handlers against a real Retract API (started by the spec; `npm test` prepares its database).
module.exports = { ...require('../../jest.preset.js'), displayName: 'rocketchat-app', rootDir: __dirname, testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] };
