// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata for NestJS)
// and the tsconfig path aliases resolve to library sources.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: {
    '^@retract/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
    '^@retract/contracts/policy-fields$': path.join(root, 'libs/contracts/src/policy-fields.ts'),
    '^@retract/authz$': path.join(root, 'libs/authz/src/index.ts'),
    '^@retract/audit-log$': path.join(root, 'libs/audit-log/src/index.ts'),
    '^@retract/recall-policy$': path.join(root, 'libs/recall-policy/src/index.ts'),
    '^@retract/db$': path.join(root, 'libs/db/src/index.ts'),
    '^@retract/sdk$': path.join(root, 'libs/sdk/src/index.ts'),
    '^@retract/scim$': path.join(root, 'libs/scim/src/index.ts'),
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|canonicalize|@noble|content-disposition|openid-client|oauth4webapi|oidc-provider)/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
};
