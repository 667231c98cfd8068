// The console's module boundaries: the shared rules, resolved with the console's own path mapping
// (browser entry of the audit log, no server-only libraries).
const path = require('node:path');
const shared = require('../../.dependency-cruiser.cjs');

module.exports = { ...shared, options: { ...shared.options, tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') } } };
