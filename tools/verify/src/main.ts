import { runVerifyCommand } from './verify-command';

runVerifyCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
