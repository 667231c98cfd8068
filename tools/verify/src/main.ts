import { runVerifyCommand } from './verify-command';

// `npm run verify` runs in the repository root; npm names the directory it was called from in
// INIT_CWD, so `npm --prefix <checkout> run verify -- case.jsonl` reads the caller's case.jsonl.
const callerDir = process.env.INIT_CWD || process.cwd();

runVerifyCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: callerDir }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
