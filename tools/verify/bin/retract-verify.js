#!/usr/bin/env node
// `retract-verify <export.jsonl>`: the offline audit verifier (TypeScript, loaded through SWC).
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', '..', '..', 'tsconfig.base.json');
require('@swc-node/register');
require('../src/main.ts');
