import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase64, encodeBase64, formatExportHeader, parseExportLine, type ExportHeader } from '@retract/audit-log';
import { buildSyntheticExport, syntheticSigner } from '../../../libs/audit-log/src/testing/synthetic-export';
import { runVerifyCommand } from './verify-command';

jest.setTimeout(60_000);

// Runs the real command in a child process, the way an auditor would.
const REPO = join(__dirname, '../../..');
const MAIN = join(__dirname, 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runVerify(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN, ...args], {
      cwd: REPO,
      // As `npm run verify` runs it: in the repository, called from the directory holding the files.
      env: { ...process.env, SWC_NODE_PROJECT: join(REPO, 'tsconfig.base.json'), INIT_CWD: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ENTRIES = 200;
const dir = mkdtempSync(join(tmpdir(), 'retract-verify-'));
const original = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 32 });
const trusted = original.vkey;

const entryIndex = (lines: string[], seq: number) => lines.findIndex((line) => line.startsWith(`{"type":"entry","seq":${seq},`));
function write(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function flipByteInLeaf(lines: string[], seq: number): string[] {
  const copy = [...lines];
  const i = entryIndex(copy, seq);
  const entry = JSON.parse(copy[i]);
  const leaf = decodeBase64(entry.leaf);
  leaf[leaf.length - 10] ^= 0x01;
  copy[i] = JSON.stringify({ ...entry, leaf: encodeBase64(leaf) });
  return copy;
}

function swap(lines: string[], seqA: number, seqB: number): string[] {
  const copy = [...lines];
  const [a, b] = [entryIndex(copy, seqA), entryIndex(copy, seqB)];
  [copy[a], copy[b]] = [copy[b], copy[a]];
  return copy;
}

const files = {
  valid: write('valid.jsonl', original.lines),
  flipped: write('flipped.jsonl', flipByteInLeaf(original.lines, 77)),
  deleted: write(
    'deleted.jsonl',
    original.lines.filter((_, i) => i !== entryIndex(original.lines, 100)),
  ),
  swapped: write('swapped.jsonl', swap(original.lines, 40, 41)),
  truncated: write(
    'truncated.jsonl',
    original.lines.filter((line) => !/^\{"type":"entry","seq":19\d,/.test(line)),
  ),
  resigned: write(
    'resigned.jsonl',
    buildSyntheticExport({
      entries: ENTRIES,
      checkpointEvery: 32,
      signer: syntheticSigner(99),
      editEntry: (entry) => (entry.seq === 120 ? { ...entry, reason: 'rewritten' } : entry),
    }).lines,
  ),
  // Cut at a checkpoint, header and trailer adjusted: only a saved checkpoint can tell.
  shortened: write('shortened.jsonl', [
    formatExportHeader({ ...(parseExportLine(original.lines[0]) as ExportHeader), toSeq: 159 }),
    ...original.lines.slice(1, entryIndex(original.lines, 160)),
  ]),
  savedCheckpoint: join(dir, 'checkpoint-200.txt'),
  notACheckpoint: join(dir, 'not-a-checkpoint.txt'),
  savedCheckpointWithExtraNewline: join(dir, 'checkpoint-200-jq.txt'),
};
writeFileSync(files.savedCheckpoint, original.checkpoints.at(-1)!);
writeFileSync(files.notACheckpoint, 'hello\n');
// As saved by `curl …/checkpoints/latest | jq -r .note > file`: one newline too many.
writeFileSync(files.savedCheckpointWithExtraNewline, `${original.checkpoints.at(-1)!}\n`);

// Each child pays Node and SWC start-up (~0.7 s of CPU), so they run two at a time, all
// queued up front; every test then awaits its own.
const spawned: Record<string, string[]> = {
  valid: [files.valid, '--trusted-key', trusted],
  flipped: [files.flipped, '--trusted-key', trusted],
  deleted: [files.deleted, '--trusted-key', trusted],
  swapped: [files.swapped, '--trusted-key', trusted],
  truncated: [files.truncated, '--trusted-key', trusted],
  resigned: [files.resigned, '--trusted-key', trusted],
  shortenedWithSaved: [files.shortened, `--trusted-key=${trusted}`, '--checkpoint', files.savedCheckpoint],
  relativeToCaller: ['valid.jsonl', '--trusted-key', trusted, '--checkpoint', 'checkpoint-200.txt'],
};
const runs: Record<string, Promise<Run>> = {};
const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
Object.entries(spawned).forEach(([name, args], i) => {
  const lane = i % lanes.length;
  runs[name] = lanes[lane].then(() => runVerify(args));
  lanes[lane] = runs[name].catch(() => undefined);
});

/** The same command in this process, for cases where the process boundary adds nothing. */
async function runInProcess(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const stream = (append: (text: string) => void) => ({ isTTY: false, write: (text: string) => (append(text), true) }) as unknown as NodeJS.WriteStream;
  const code = await runVerifyCommand(args, { stdout: stream((t) => (stdout += t)), stderr: stream((t) => (stderr += t)) });
  return { code, stdout, stderr };
}

afterAll(async () => {
  await Promise.all(lanes);
  rmSync(dir, { recursive: true, force: true });
});

const firstLine = (text: string) => text.split('\n')[0];

describe('verify <export.jsonl>', () => {
  it('reads relative file names from the directory npm was called in (INIT_CWD), not the repository', async () => {
    const { code, stdout, stderr } = await runs.relativeToCaller;
    expect(stderr).not.toContain('cannot read');
    expect(code).toBe(0);
    expect(firstLine(stdout)).toBe(`OK: ${ENTRIES} entries verified (seq 0..199), tree size ${ENTRIES}, 7 checkpoints verified`);
  });

  it('exits 0 and summarises a valid export', async () => {
    const { code, stdout } = await runs.valid;
    expect(code).toBe(0);
    expect(firstLine(stdout)).toBe(`OK: ${ENTRIES} entries verified (seq 0..199), tree size ${ENTRIES}, 7 checkpoints verified`);
  });

  it('prints only the verdict with --quiet', async () => {
    const { code, stdout, stderr } = await runInProcess([files.valid, '--quiet']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stderr).toBe('');
  });

  it.each([
    ['flipped', 'a flipped byte in a leaf', /^FAIL at seq 77: leaf hash mismatch/],
    ['deleted', 'a deleted middle entry', /^FAIL at seq 100: entry missing or out of order: expected seq 100, found seq 101/],
    ['swapped', 'swapped entries', /^FAIL at seq 40: entry missing or out of order: expected seq 40, found seq 41/],
    ['truncated', 'cut-off newest entries', /^FAIL at seq 190: truncated/],
    ['resigned', 'a history re-signed with another key', /^FAIL at seq 0: unsigned entries: no checkpoint signed by a trusted key .*re-signed/],
    ['shortenedWithSaved', 'a shortened export against a saved checkpoint', /^FAIL at seq 160: truncated: saved checkpoint #1 \(size 200\)/],
  ])('exits 1 and names the first bad seq for %s (%s)', async (name, _description, verdict) => {
    const { code, stdout } = await runs[name];
    expect(code).toBe(1);
    expect(firstLine(stdout)).toMatch(verdict);
  });

  it('lists the header key that is not trusted when the log was re-signed', async () => {
    const { stdout } = await runs.resigned;
    expect(stdout).toMatch(/HEADER_KEY_NOT_TRUSTED: the export lists key .* which is not a trusted key/);
  });

  it('accepts a saved checkpoint with a trailing blank line', async () => {
    const { code, stdout } = await runInProcess([files.valid, '--trusted-key', trusted, '--checkpoint', files.savedCheckpointWithExtraNewline]);
    expect(code).toBe(0);
    expect(firstLine(stdout)).toMatch(/^OK/);
  });

  it('cannot tell a cleanly shortened export without a saved checkpoint', async () => {
    const { code, stdout } = await runInProcess([files.shortened, '--trusted-key', trusted]);
    expect(code).toBe(0);
    expect(firstLine(stdout)).toMatch(/^OK: 160 entries/);
  });

  it.each([
    ['no arguments', [], /missing <export\.jsonl>[\s\S]*usage: verify/],
    ['an unknown option', [files.valid, '--fast'], /unknown option --fast/],
    ['a malformed trusted key', [files.valid, '--trusted-key', 'not-a-key'], /invalid note key/],
    ['a missing export', [join(dir, 'missing.jsonl')], /cannot read .*missing\.jsonl.*ENOENT/],
    ['a directory', [dir], /cannot read .*EISDIR/],
    ['a checkpoint file that is not a checkpoint', [files.valid, '--checkpoint', files.notACheckpoint], /is not a checkpoint note/],
    ['a missing checkpoint file', [files.valid, '--checkpoint', join(dir, 'nope.txt')], /cannot read checkpoint .*ENOENT/],
  ])('exits 2 on %s', async (_name, args, message) => {
    const { code, stderr, stdout } = await runInProcess(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});
