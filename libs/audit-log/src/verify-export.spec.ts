import { decodeBase64, encodeBase64 } from './base64';
import { utf8Bytes } from './bytes';
import {
  collectCheckpointNotes,
  encodeLeaf,
  formatExportCheckpoint,
  formatExportEntry,
  formatExportHeader,
  formatVerifierKey,
  hashLeaf,
  parseExportLine,
  signCheckpoint,
  verifyExport,
  type AuditEntry,
  type ExportHeader,
  type ExportVerification,
} from './index';
import { buildSyntheticExport, syntheticSigner, SYNTHETIC_ORIGIN, SYNTHETIC_TENANT_ID } from './testing/synthetic-export';

const ENTRIES = 100;
// Checkpoints at sizes 16, 32, 48, 64, 80, 96 and 100.
const base = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 16 });
const trustedKeys = [base.vkey];

const codes = (result: ExportVerification) => result.problems.map((p) => p.code);
const entryLineIndex = (lines: string[], seq: number) => lines.findIndex((line) => line.startsWith(`{"type":"entry","seq":${seq},`));
const checkpointLineIndex = (lines: string[], size: number) =>
  lines.findIndex((line) => line.startsWith('{"type":"checkpoint"') && (JSON.parse(line).note as string).split('\n')[1] === String(size));

function editLeafBytes(lines: string[], seq: number, edit: (leafText: string) => string, rehash = false): string[] {
  const copy = [...lines];
  const i = entryLineIndex(copy, seq);
  const entry = JSON.parse(copy[i]);
  const leaf = utf8Bytes(edit(new TextDecoder().decode(decodeBase64(entry.leaf))));
  copy[i] = JSON.stringify({ ...entry, leaf: encodeBase64(leaf), leafHash: rehash ? encodeBase64(hashLeaf(leaf)) : entry.leafHash });
  return copy;
}

function editHeader(lines: string[], edit: (header: ExportHeader) => ExportHeader): string[] {
  const header = parseExportLine(lines[0]) as ExportHeader;
  return [formatExportHeader(edit(header)), ...lines.slice(1)];
}

function editEntryAt(seq: number, edit: (entry: AuditEntry) => AuditEntry) {
  return (entry: AuditEntry) => (entry.seq === seq ? edit(entry) : entry);
}

describe('verifyExport', () => {
  it('accepts an untouched export', async () => {
    const result = await verifyExport(base.lines, { trustedKeys });
    expect(result).toMatchObject({ ok: true, checked: ENTRIES, treeSize: ENTRIES, checkpointsVerified: 7, verifiedSize: ENTRIES, problems: [], warnings: [] });
    expect(result.firstBadSeq).toBeUndefined();
  });

  it('accepts a log written before and after a format change (version 1 leaves, then version 2)', async () => {
    const mixed = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 16, versionOf: (seq) => (seq < 40 ? 1 : 2) });
    const versions = mixed.lines
      .filter((line) => line.startsWith('{"type":"entry"'))
      .map((line) => JSON.parse(new TextDecoder().decode(decodeBase64(JSON.parse(line).leaf))).v);
    expect(new Set(versions)).toEqual(new Set([1, 2]));
    expect(await verifyExport(mixed.lines, { trustedKeys: [mixed.vkey] })).toMatchObject({ ok: true, checked: ENTRIES, problems: [] });
  });

  it('accepts an async stream and reports progress', async () => {
    async function* stream() {
      yield* base.lines;
    }
    const progress: number[] = [];
    const result = await verifyExport(stream(), { onProgress: (p) => progress.push(p.entries) });
    expect(result.ok).toBe(true);
    expect(progress.at(-1)).toBe(ENTRIES);
  });

  it('without trusted keys, checks against the export’s own keys and says so', async () => {
    const result = await verifyExport(base.lines);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual(['KEYS_NOT_PINNED']);
    expect(result.keysUsed).toEqual([base.vkey]);
  });

  it('names the seq of a flipped byte in a leaf', async () => {
    const lines = editLeafBytes(base.lines, 37, (leaf) => leaf.replace('"ct":"', '"ct":"@'));
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.ok).toBe(false);
    expect(result.firstBadSeq).toBe(37);
    expect(result.problems[0]).toMatchObject({ code: 'LEAF_HASH_MISMATCH', seq: 37, message: expect.stringMatching(/^leaf hash mismatch/) });
    // The checkpoints after it no longer match either; that is explained by seq 37.
    expect(result.problems.filter((p) => p.code === 'CHECKPOINT_ROOT_MISMATCH').every((p) => p.seq === undefined)).toBe(true);
  });

  it('names the seq of a tampered stored leaf hash (the leaf itself still matches the checkpoints)', async () => {
    const lines = [...base.lines];
    const i = entryLineIndex(lines, 37);
    lines[i] = JSON.stringify({ ...JSON.parse(lines[i]), leafHash: encodeBase64(new Uint8Array(32)) });
    const result = await verifyExport(lines, { trustedKeys });
    expect(codes(result)).toEqual(['LEAF_HASH_MISMATCH']);
    expect(result).toMatchObject({ firstBadSeq: 37, checkpointsVerified: 7 });
  });

  it('narrows a consistently re-hashed rewrite down to the range after the last good checkpoint', async () => {
    const lines = editLeafBytes(base.lines, 37, (leaf) => leaf.replace('"ct":"', '"ct":"@'), true);
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.firstBadSeq).toBe(32);
    expect(result.problems[0]).toMatchObject({ code: 'CHECKPOINT_ROOT_MISMATCH', seq: 32, message: expect.stringMatching(/seq 32\.\.47/) });
    expect(result.checkpointsVerified).toBe(2);
  });

  it('names a deleted entry', async () => {
    const lines = base.lines.filter((_, i) => i !== entryLineIndex(base.lines, 50));
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.firstBadSeq).toBe(50);
    expect(result.problems[0]).toMatchObject({ code: 'SEQ_GAP', seq: 50 });
  });

  it('names swapped entries', async () => {
    const lines = [...base.lines];
    const [a, b] = [entryLineIndex(lines, 20), entryLineIndex(lines, 21)];
    [lines[a], lines[b]] = [lines[b], lines[a]];
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.firstBadSeq).toBe(20);
    expect(codes(result)).toEqual(expect.arrayContaining(['SEQ_GAP', 'SEQ_OUT_OF_ORDER']));
  });

  it('names the first missing seq when the newest entries are cut off', async () => {
    const lines = base.lines.filter((line) => !/^\{"type":"entry","seq":(9[5-9]),/.test(line));
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.firstBadSeq).toBe(95);
    expect(codes(result)).toContain('TRUNCATED');
  });

  it('detects a cleanly shortened export only with a saved checkpoint', async () => {
    const newest = base.checkpoints.at(-1)!;
    const shortened = editHeader(
      base.lines.filter(
        (line) => !/^\{"type":"entry","seq":(9[6-9]),/.test(line) && !line.includes('"type":"trailer"') && line !== formatExportCheckpoint(newest),
      ),
      (header) => ({ ...header, toSeq: 95 }),
    );
    expect((await verifyExport(shortened, { trustedKeys })).ok).toBe(true);
    const result = await verifyExport(shortened, { trustedKeys, previousCheckpoints: [newest] });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 96 });
    expect(result.problems[0]).toMatchObject({ code: 'TRUNCATED', message: expect.stringMatching(/saved checkpoint #1 \(size 100\)/) });
  });

  it('detects a history rebuilt and re-signed with another key, given the trusted key', async () => {
    const forged = buildSyntheticExport({
      entries: ENTRIES,
      checkpointEvery: 16,
      signer: syntheticSigner(8),
      editEntry: editEntryAt(37, (entry) => ({ ...entry, reason: 'nothing to see here' })),
    });
    expect((await verifyExport(forged.lines)).ok).toBe(true); // self-consistent on its own
    const result = await verifyExport(forged.lines, { trustedKeys });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 0, checkpointsVerified: 0 });
    expect(codes(result)).toEqual(expect.arrayContaining(['HEADER_KEY_NOT_TRUSTED', 'CHECKPOINT_UNTRUSTED_KEY', 'UNSIGNED_ENTRIES']));
    expect(result.problems.find((p) => p.seq === 0)?.message).toMatch(/re-signed/);
  });

  it('detects a re-signed history from a saved checkpoint alone', async () => {
    const forged = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 16, signer: syntheticSigner(8) });
    const result = await verifyExport(forged.lines, { previousCheckpoints: [base.checkpoints[2]] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'CHECKPOINT_UNKNOWN_KEY', message: expect.stringMatching(/saved checkpoint #1.*re-signed/) }),
    ]);
  });

  it('checks saved checkpoints against the rebuilt roots', async () => {
    const rewritten = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 16, editEntry: editEntryAt(70, (e) => ({ ...e, reason: 'edited' })) });
    // The rewritten export is signed with the real key (a compromised signer) but the
    // saved checkpoint at 80 predates the rewrite.
    const saved80 = base.checkpoints[4];
    const result = await verifyExport(rewritten.lines, { trustedKeys, previousCheckpoints: [saved80] });
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(expect.arrayContaining(['CHECKPOINT_FORK', 'CHECKPOINT_ROOT_MISMATCH']));
    expect(result.firstBadSeq).toBe(64);
  });

  it('verifies a partial export from its header frontier', async () => {
    const partial = buildSyntheticExport({ entries: 60, fromSeq: 40, checkpointEvery: 16 });
    const result = await verifyExport(partial.lines, { trustedKeys, previousCheckpoints: [base.checkpoints[1]] });
    expect(result).toMatchObject({ ok: true, checked: 60, treeSize: 100, checkpointsVerified: 5 });
    expect(result.warnings.map((w) => w.code)).toEqual(['CHECKPOINT_BEFORE_RANGE']);

    const wrongFrontier = editHeader(partial.lines, (header) => ({
      ...header,
      frontier: { ...header.frontier, hashes: [encodeBase64(new Uint8Array(32)), ...header.frontier.hashes.slice(1)] },
    }));
    const tampered = await verifyExport(wrongFrontier, { trustedKeys });
    expect(tampered).toMatchObject({ ok: false, firstBadSeq: 40 });
    expect(tampered.problems[0].message).toMatch(/header frontier/);
  });

  it('checks checkpoints placed after all entries when they are collected up front', async () => {
    const atEnd = buildSyntheticExport({ entries: ENTRIES, checkpointEvery: 16, checkpointPlacement: 'end' });
    const streamed = await verifyExport(atEnd.lines, { trustedKeys });
    expect(streamed).toMatchObject({ ok: true, checkpointsVerified: 1 });
    expect(streamed.warnings.filter((w) => w.code === 'CHECKPOINT_NOT_CHECKED')).toHaveLength(6);
    const exportCheckpoints = await collectCheckpointNotes(atEnd.lines);
    expect(await verifyExport(atEnd.lines, { trustedKeys, exportCheckpoints })).toMatchObject({ ok: true, checkpointsVerified: 7, warnings: [] });
  });

  it.each([
    ['a leaf of another tenant', editEntryAt(10, (e) => ({ ...e, tenantId: '00000000-0000-4000-8000-000000000000' })), 'TENANT_MISMATCH'],
    ['a leaf whose seq is not its position', editEntryAt(10, (e) => ({ ...e, seq: 11 })), 'LEAF_SEQ_MISMATCH'],
    ['time going backwards', editEntryAt(10, (e) => ({ ...e, occurredAt: '2024-12-31T23:59:59.999Z' })), 'TIME_REGRESSION'],
  ])('names %s even when it was signed', async (_name, editEntry, code) => {
    const signedButWrong = buildSyntheticExport({ entries: 30, checkpointEvery: 16, editEntry });
    const result = await verifyExport(signedButWrong.lines, { trustedKeys });
    expect(codes(result)).toEqual([code]);
    expect(result.firstBadSeq).toBe(10);
  });

  it('names a leaf that is not canonical', async () => {
    const lines = editLeafBytes(base.lines, 12, (leaf) => leaf.replace('{', '{ '), true);
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.firstBadSeq).toBe(12);
    expect(result.problems[0]).toMatchObject({ code: 'LEAF_INVALID', message: expect.stringMatching(/canonical/) });
  });

  it('refuses entries that no checkpoint covers', async () => {
    const extra = [100, 101, 102].map((seq) => {
      const leaf = encodeLeaf({ tenantId: SYNTHETIC_TENANT_ID, seq, occurredAt: '2025-06-01T00:00:00.000Z', action: 'MESSAGE_RECALLED' });
      return formatExportEntry(seq, leaf, hashLeaf(leaf));
    });
    const lines = editHeader([...base.lines.filter((l) => !l.includes('"trailer"')), ...extra], (h) => ({ ...h, toSeq: 102 }));
    const result = await verifyExport(lines, { trustedKeys });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 100 });
    expect(result.problems).toEqual([expect.objectContaining({ code: 'UNSIGNED_ENTRIES', seq: 100 })]);
  });

  it('reports a checkpoint whose signature does not verify', async () => {
    const lines = [...base.lines];
    const i = checkpointLineIndex(lines, 48);
    const note = (JSON.parse(lines[i]).note as string).replace('\n48\n', '\n49\n');
    lines[i] = formatExportCheckpoint(note);
    const result = await verifyExport(lines, { trustedKeys });
    expect(codes(result)).toEqual(['CHECKPOINT_BAD_SIGNATURE']);
  });

  it('reports two validly signed, different checkpoints for one size (a fork)', async () => {
    const bogus = signCheckpoint({ origin: SYNTHETIC_ORIGIN, size: 50, rootHash: new Uint8Array(32) }, base.signer);
    const honest = signCheckpoint(
      { origin: SYNTHETIC_ORIGIN, size: 50, rootHash: decodeBase64((await verifyExport(base.lines.slice(0, 1 + 50 + 3))).rootHash!) },
      base.signer,
    );
    const lines = [...base.lines, formatExportCheckpoint(honest), formatExportCheckpoint(bogus)];
    const result = await verifyExport(lines, { trustedKeys, exportCheckpoints: [honest, bogus] });
    expect(codes(result)).toEqual(expect.arrayContaining(['CHECKPOINT_FORK', 'CHECKPOINT_ROOT_MISMATCH']));
    expect(result.firstBadSeq).toBe(48);
  });

  it('reports a checkpoint of another log signed with the same key', async () => {
    const foreign = signCheckpoint({ origin: 'retract.example/audit/other', size: 16, rootHash: new Uint8Array(32) }, base.signer);
    const result = await verifyExport([...base.lines.slice(0, -1), formatExportCheckpoint(foreign)], { trustedKeys });
    expect(codes(result)).toEqual(['CHECKPOINT_WRONG_ORIGIN']);
  });

  it('reports a trailer that does not match', async () => {
    const lines = [...base.lines.slice(0, -1), JSON.stringify({ type: 'trailer', entries: 101 })];
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.problems).toEqual([expect.objectContaining({ code: 'TRAILER_MISMATCH', seq: 100 })]);
  });

  it('reports lines that are not part of the format', async () => {
    const lines = [...base.lines];
    lines.splice(5, 0, '{"type":"entry","seq":"four"}', 'garbage');
    const result = await verifyExport(lines, { trustedKeys });
    expect(result.problems.map((p) => [p.code, p.line])).toEqual([
      ['LINE_INVALID', 6],
      ['LINE_INVALID', 7],
    ]);
  });

  it.each([
    ['an empty file', []],
    ['an entry first', base.lines.slice(1)],
    ['another format', [JSON.stringify({ type: 'header', format: 'something-else', version: 1 })]],
    ['a header with a bad key', [base.lines[0].replace(base.vkey.slice(-10), 'AAAAAAAAAA')]],
  ])('refuses %s as not an export', async (_name, lines) => {
    const result = await verifyExport(lines, { trustedKeys });
    expect(result).toMatchObject({ ok: false, checked: 0 });
    expect(codes(result)).toEqual(['HEADER_INVALID']);
  });

  it('throws on a malformed trusted key (a usage error, not a verdict)', async () => {
    await expect(verifyExport(base.lines, { trustedKeys: ['nope'] })).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });

  it('lists a bounded number of problems but keeps the verdict', async () => {
    const wrongTenant = editHeader(base.lines, (h) => ({ ...h, tenantId: '00000000-0000-4000-8000-000000000000' }));
    const result = await verifyExport(wrongTenant, { trustedKeys, maxProblems: 5 });
    expect(result.problems).toHaveLength(6);
    expect(result.problems.at(-1)).toMatchObject({ code: 'TOO_MANY_PROBLEMS', message: '95 more problems not listed' });
    expect(result.firstBadSeq).toBe(0);
  });

  it('uses the published verifier key format', () => {
    expect(base.vkey).toBe(formatVerifierKey(base.signer));
  });
});
