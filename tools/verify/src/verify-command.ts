import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseCheckpoint, parseVerifierKey } from '@retract/audit-log';
import { parseVerifyArgs, UsageError, USAGE } from './args';
import { progressReporter } from './progress';
import { detailLines, verdictLine } from './report';
import { verifyExportFile } from './verify-file';
import { isProofBundleFile, verifyProofBundleFile } from './verify-proof-file';

export const EXIT_VERIFIED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CommandIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** The caller's directory: relative file names are theirs. Default: the working directory. */
  readonly cwd?: string;
}

export async function runVerifyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let args;
  let previousCheckpoints: string[];
  try {
    const parsed = parseVerifyArgs(argv);
    const here = (file: string) => resolve(io.cwd ?? process.cwd(), file);
    args = { ...parsed, exportFile: here(parsed.exportFile), checkpointFiles: parsed.checkpointFiles.map(here) };
    for (const key of args.trustedKeys) parseVerifierKey(key);
    previousCheckpoints = await Promise.all(args.checkpointFiles.map(readCheckpointFile));
  } catch (error) {
    io.stderr.write(`verify: ${(error as Error).message}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    return EXIT_USAGE;
  }

  const progress = args.quiet ? undefined : progressReporter(io.stderr);
  let result;
  try {
    const options = { trustedKeys: args.trustedKeys.length > 0 ? args.trustedKeys : undefined, previousCheckpoints, onProgress: progress?.onProgress };
    result = (await isProofBundleFile(args.exportFile))
      ? await verifyProofBundleFile(args.exportFile, options)
      : await verifyExportFile(args.exportFile, { ...options, workers: args.workers });
  } catch (error) {
    progress?.done();
    io.stderr.write(`verify: cannot read ${args.exportFile}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  progress?.done();

  io.stdout.write(`${verdictLine(result)}\n`);
  if (!args.quiet) for (const line of detailLines(result)) io.stdout.write(`${line}\n`);
  return result.ok ? EXIT_VERIFIED : EXIT_FAILED;
}

async function readCheckpointFile(file: string): Promise<string> {
  let note: string;
  try {
    // A note ends with exactly one newline; tools that print it (curl | jq -r, an editor) often add another.
    note = (await readFile(file, 'utf8')).replace(/\r\n/g, '\n').replace(/\n+$/, '\n');
  } catch (error) {
    throw new Error(`cannot read checkpoint ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  try {
    parseCheckpoint(note);
  } catch (error) {
    throw new Error(`${file} is not a checkpoint note: ${(error as Error).message}`, { cause: error });
  }
  return note;
}
