import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeBase64,
  encodeBase64,
  encodeLeaf,
  formatExportCheckpoint,
  formatExportTrailer,
  formatProofBundleEntry,
  formatProofBundleHeader,
  formatVerifierKey,
  hashLeaf,
  inclusionProofFromLeafHashes,
  rootFromLeafHashes,
  signCheckpoint,
} from '@retract/audit-log';
import { syntheticEntry, syntheticSigner, SYNTHETIC_ORIGIN, SYNTHETIC_TENANT_ID } from '../../../libs/audit-log/src/testing/synthetic-export';
import { runVerifyCommand } from './verify-command';

const dir = mkdtempSync(join(tmpdir(), 'retract-verify-proofs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE = 20;
const leaves = Array.from({ length: SIZE }, (_, seq) => encodeLeaf(syntheticEntry(SYNTHETIC_TENANT_ID, seq, 40)));
const hashes = leaves.map((leaf) => hashLeaf(leaf));
const signer = syntheticSigner();
const vkey = formatVerifierKey(signer);

/** A case of seqs 1, 5, 6 and 19 as the API writes its case.jsonl. */
function bundleLines(): string[] {
  return [
    formatProofBundleHeader({
      tenantId: SYNTHETIC_TENANT_ID,
      origin: SYNTHETIC_ORIGIN,
      treeSize: SIZE,
      exportedAt: '2026-12-03T08:00:00.000Z',
      publicKeys: [{ name: signer.name, vkey }],
    }),
    formatExportCheckpoint(signCheckpoint({ origin: SYNTHETIC_ORIGIN, size: SIZE, rootHash: rootFromLeafHashes(hashes) }, signer)),
    ...[1, 5, 6, 19].map((seq) => formatProofBundleEntry(seq, leaves[seq], hashes[seq], inclusionProofFromLeafHashes(hashes, seq))),
    formatExportTrailer(4),
  ];
}

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
