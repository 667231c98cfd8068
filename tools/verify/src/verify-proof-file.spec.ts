import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase64, encodeBase64, formatVerifierKey, hashLeaf } from '@retract/audit-log';
import { syntheticSigner } from '../../../libs/audit-log/src/testing/synthetic-export';
import { syntheticProofBundleLines } from '../../../libs/audit-log/src/testing/synthetic-proof-bundle';
import { runVerifyCommand } from './verify-command';

const dir = mkdtempSync(join(tmpdir(), 'retract-verify-proofs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vkey = formatVerifierKey(syntheticSigner());

/** A case of seqs 1, 5, 6 and 19 as the API writes its case.jsonl. */
const bundleLines = () => syntheticProofBundleLines({ treeSize: 20, seqs: [1, 5, 6, 19] });

async function verify(lines: string[], ...args: string[]) {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  let stdout = '';
  const stream = (append: (text: string) => void) => ({ isTTY: false, write: (text: string) => (append(text), true) }) as unknown as NodeJS.WriteStream;
  const code = await runVerifyCommand([file, ...args, '--quiet'], { stdout: stream((t) => (stdout += t)), stderr: stream(() => undefined) });
  return { code, stdout };
}

describe('verify <case.jsonl> (a proof bundle)', () => {
  it('recognises the bundle by its header and exits 0 naming the entries it proved', async () => {
    const { code, stdout } = await verify(bundleLines(), '--trusted-key', vkey);
    expect(stdout).toBe('OK: 4 entries of a proof bundle verified (seq 1, seq 5..6, seq 19), each proved in the signed tree of size 20\n');
    expect(code).toBe(0);
  });

  it('exits 1 naming the first entry whose leaf or proof does not lead to the signed root', async () => {
    const lines = bundleLines();
    const entry = JSON.parse(lines[3]) as { leaf: string };
    const leaf = decodeBase64(entry.leaf);
    leaf[10] ^= 0x20;
    lines[3] = JSON.stringify({ ...entry, leaf: encodeBase64(leaf), leafHash: encodeBase64(hashLeaf(leaf)) });
    const { code, stdout } = await verify(lines, '--trusted-key', vkey);
    expect(stdout).toMatch(/^FAIL at seq 5: /);
    expect(code).toBe(1);
  });

  it('exits 1 for a bundle signed by a key that is not trusted', async () => {
    const { code, stdout } = await verify(bundleLines(), '--trusted-key', formatVerifierKey(syntheticSigner(9)));
    expect(stdout).toMatch(/^FAIL/);
    expect(code).toBe(1);
  });
});
