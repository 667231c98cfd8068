export interface VerifyArgs {
  readonly exportFile: string;
  readonly trustedKeys: string[];
  readonly checkpointFiles: string[];
  readonly quiet: boolean;
  /** Worker threads for the entry checks; undefined: the default of verifyExportFile. */
  readonly workers?: number;
}

export const USAGE = `usage: verify <export.jsonl> [--trusted-key <vkey>]... [--checkpoint <file>]... [--workers <n>] [--quiet]

Checks a Retract audit export offline: every leaf, seq order, the Merkle roots against
the signed checkpoints, and that the export is not shorter than any checkpoint. A proof
bundle (a case's entries, each with an inclusion proof) is recognised by its header:
every leaf and every proof against its signed checkpoint.

  --trusted-key <vkey>  verifier key to trust (<name>+<key id>+<base64>); repeatable.
                        Without it the export's own keys are used (compare them with
                        the keys Retract publishes).
  --checkpoint <file>   a checkpoint note saved earlier (e.g. by a witness); repeatable.
  --workers <n>         worker threads that check entries (0: none). Default: one
                        per CPU core, up to 4, for exports of 8 MiB and more.
  --quiet               no progress, only the verdict line.

exit status: 0 verified, 1 verification failed (names the first bad seq), 2 usage error
or unreadable file.`;

export class UsageError extends Error {}

export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
  const positional: string[] = [];
  const trustedKeys: string[] = [];
  const checkpointFiles: string[] = [];
  let quiet = false;
  let workers: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--trusted-key') trustedKeys.push(value());
    else if (flag === '--checkpoint') checkpointFiles.push(value());
    else if (flag === '--workers') workers = parseWorkers(value());
    else if (flag === '--quiet' && inlineValue === undefined) quiet = true;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'missing <export.jsonl>' : 'expected exactly one export file');
  return { exportFile: positional[0], trustedKeys, checkpointFiles, quiet, ...(workers !== undefined ? { workers } : {}) };
}

function parseWorkers(text: string): number {
  if (!/^\d{1,2}$/.test(text)) throw new UsageError(`--workers needs a number of threads, not ${JSON.stringify(text)}`);
  return Number(text);
}
