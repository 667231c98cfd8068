// Module boundaries (docs/architecture.md, "Code checks"): `npm run lint` runs
// depcruise twice with these rules: the console with its own tsconfig (its path mapping differs),
// everything else with tsconfig.base.json.
const FRAMEWORKS = '(^|/)node_modules/(@nestjs|@prisma|@fastify|fastify|next|react|react-dom|pg|prom-client|rxjs)/';
/** Libraries that hold pure domain logic: no framework, no database driver. */
const PURE_LIBS = '^libs/(contracts|authz|audit-log|recall-policy|scim)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      comment: 'Libraries are shared by the apps; an import the other way would tie a library to one app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'console-never-imports-api',
      comment: 'The console talks to the API over HTTP only; shared shapes live in libs/contracts.',
      severity: 'error',
      from: { path: '^apps/console/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'api-never-imports-console',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^apps/console/' },
    },
    {
      name: 'console-gets-browser-libs-only',
      comment: 'The console bundles the browser entry of the audit log and no database code.',
      severity: 'error',
      from: { path: '^apps/console/' },
      to: { path: '^libs/(db/|audit-log/src/index\\.ts$)' },
    },
    {
      name: 'pure-libs-import-no-framework',
      comment: 'Domain logic stays testable and usable in the browser and the offline verifier.',
      severity: 'error',
      from: { path: PURE_LIBS },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'pure-libs-import-no-edge-lib',
      comment: 'libs/db is the Prisma/pg edge.',
      severity: 'error',
      from: { path: PURE_LIBS },
      to: { path: '^libs/db/' },
    },
    {
      name: 'no-circular-between-libs',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/', pathNot: '^libs/$1/', circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'server-only and next/image-types are provided by Next at build time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(server-only|next/image-types/global)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(\\.next[^/]*|tmp|dist|\\.data)/|^libs/db/src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
