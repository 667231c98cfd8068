import fc from 'fast-check';
import { encodeBase64 } from './base64';
import { utf8Bytes } from './bytes';
import { canonicalJson } from './canonical-json';
import { EntryChecker } from './entry-check';
import { formatExportEntry, parseExportLine, type ExportEntry } from './export-format';
import { nobleHasher } from './hash';
import { encodeLeaf } from './leaf';
import { hashLeaf } from './merkle';
import { SYNTHETIC_TENANT_ID, syntheticEntry } from './testing/synthetic-export';

const ACTIONS = ['MESSAGE_RECALLED', 'RECALL_DENIED', 'MESSAGE_REEDITED', 'POLICY_CHANGED', 'AUDIT_CONTENT_VIEWED'];

// A checker that has seen a valid leaf of every action takes the fast path wherever it
// can; a new checker knows no action yet, so it decides every leaf with decodeLeaf.
function warmChecker(): EntryChecker {
  const checker = new EntryChecker(nobleHasher, SYNTHETIC_TENANT_ID);
  for (let seq = 0; seq < ACTIONS.length; seq++) checker.checkEntry(entryOf(seq, encodeLeaf(syntheticEntry(SYNTHETIC_TENANT_ID, seq, 16))));
  return checker;
}
const decodeLeafChecker = () => new EntryChecker(nobleHasher, SYNTHETIC_TENANT_ID);

/** Leaf bytes without encodeLeaf's checks, for leaves that break them. */
const leafBytes = (entry: object) => utf8Bytes(canonicalJson({ v: 1, ...entry }));

function entryOf(seq: number, leaf: Uint8Array, leafHash = hashLeaf(nobleHasher, leaf)): ExportEntry {
  return { type: 'entry', seq, leaf: encodeBase64(leaf), leafHash: encodeBase64(leafHash) };
}

/** Leaf texts around a valid one: fields changed, removed, added or spelled differently, then maybe a few bytes edited. */
const leafTexts = fc
  .record({
    seq: fc.nat({ max: 1000 }),
    version: fc.constantFrom(1, 2),
    field: fc.constantFrom('tenantId', 'seq', 'occurredAt', 'action', 'v', 'reason', 'none'),
    change: fc.oneof(
      fc.constant({ kind: 'remove' as const }),
      fc.record({
        kind: fc.constant('set' as const),
        value: fc.oneof(
          fc.jsonValue({ maxDepth: 1 }),
          fc.constantFrom(
            '00000000-0000-4000-8000-000000000000',
            SYNTHETIC_TENANT_ID.toUpperCase(),
            '2024-12-31T23:59:59.999Z',
            '2025-02-30T00:00:00.000Z',
            '2025-01-01T00:00:00Z',
            'message_recalled',
            'NEW_ACTION',
            'ÄCTION',
            2,
            3,
            '1',
            -1,
            1.5,
          ),
        ),
      }),
      fc.record({ kind: fc.constant('escape' as const) }),
    ),
    edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x20, max: 0x7e }), fc.boolean()), { maxLength: 2 }),
  })
  .map(({ seq, version, field, change, edits }) => {
    const leaf: Record<string, unknown> = { v: version, ...syntheticEntry(SYNTHETIC_TENANT_ID, seq, 16) };
    let text: string;
    if (field === 'none') text = canonicalJson(leaf);
    else if (change.kind === 'remove') {
      delete leaf[field];
      text = canonicalJson(leaf);
    } else if (change.kind === 'set') {
      leaf[field] = change.value;
      text = canonicalJson(leaf);
    } else {
      // The same value with its first character escaped: equal after parsing, not canonical.
      text = canonicalJson(leaf).replace(`"${field}":"`, `"${field}":"\\u00${(String(leaf[field])[0] ?? 'a').charCodeAt(0).toString(16)}`);
    }
    for (const [at, char, replace] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + String.fromCharCode(char) + text.slice(replace ? i + 1 : i);
    }
    return { seq, text };
  });

describe('EntryChecker', () => {
  it('decides every leaf as decodeLeaf does (fast path or not)', () => {
    const warm = warmChecker();
    fc.assert(
      fc.property(leafTexts, fc.nat({ max: 1002 }), ({ seq, text }, lineSeq) => {
        const entry = entryOf(lineSeq % 3 === 0 ? lineSeq : seq, utf8Bytes(text));
        expect(warm.checkEntry(entry)).toEqual(decodeLeafChecker().checkEntry(entry));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a valid leaf as valid on the fast path', () => {
    const warm = warmChecker();
    const leaf = encodeLeaf(syntheticEntry(SYNTHETIC_TENANT_ID, 42, 256));
    expect(warm.checkEntry(entryOf(42, leaf))).toEqual({
      seq: 42,
      leafHash: hashLeaf(nobleHasher, leaf),
      problems: [],
      occurredAt: '2025-01-01T00:01:03.000Z',
    });
  });

  it.each([
    ['another tenant', { tenantId: '00000000-0000-4000-8000-000000000000' }, 'TENANT_MISMATCH'],
    ['another seq', { seq: 43 }, 'LEAF_SEQ_MISMATCH'],
    ['a lower-case action', { action: 'message_recalled' }, 'LEAF_INVALID'],
    ['an impossible date', { occurredAt: '2025-02-30T00:00:00.000Z' }, 'LEAF_INVALID'],
  ])('names a leaf with %s', (_name, change, code) => {
    const leaf = leafBytes({ ...syntheticEntry(SYNTHETIC_TENANT_ID, 42, 16), ...change });
    expect(
      warmChecker()
        .checkEntry(entryOf(42, leaf))
        .problems.map((p) => p.code),
    ).toEqual([code]);
  });

  it('names a stored leaf hash that does not match, and one that is not a hash', () => {
    const leaf = encodeLeaf(syntheticEntry(SYNTHETIC_TENANT_ID, 7, 16));
    expect(
      warmChecker()
        .checkEntry(entryOf(7, leaf, new Uint8Array(32)))
        .problems.map((p) => p.code),
    ).toEqual(['LEAF_HASH_MISMATCH']);
    const notAHash = { ...entryOf(7, leaf), leafHash: 'AAAA' };
    expect(warmChecker().checkEntry(notAHash)).toMatchObject({ leafHash: hashLeaf(nobleHasher, leaf), problems: [{ code: 'LEAF_HASH_INVALID' }] });
  });

  const lines = fc
    .record({
      seq: fc.oneof(fc.nat({ max: 5000 }), fc.constantFrom(2 ** 53 - 1, 10 ** 15, 10 ** 15 - 1)),
      hashOk: fc.boolean(),
      edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '\\', '"', '-', '_', '=', 'A', '\u0001', '0', ',', '}', '\r', 'é')), { maxLength: 2 }),
    })
    .map(({ seq, hashOk, edits }) => {
      const leaf = encodeLeaf({ ...syntheticEntry(SYNTHETIC_TENANT_ID, seq % 5000, 8), seq });
      let line = formatExportEntry(seq, leaf, hashOk ? hashLeaf(nobleHasher, leaf) : new Uint8Array(32));
      for (const [at, text] of edits) {
        const i = at % (line.length + 1);
        line = line.slice(0, i) + text + line.slice(i);
      }
      return line;
    });

  it('checks a line as parsing it and checking the entry would', () => {
    const warm = warmChecker();
    fc.assert(
      fc.property(lines, (line) => {
        const checked = warm.checkLine(line);
        if (checked === undefined) return;
        const parsed = parseExportLine(line); // the fast path only takes lines that parse
        expect(parsed.type).toBe('entry');
        expect(checked).toEqual(decodeLeafChecker().checkEntry(parsed as ExportEntry));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the lines the exporter writes', () => {
    const leaf = encodeLeaf(syntheticEntry(SYNTHETIC_TENANT_ID, 3, 64));
    expect(warmChecker().checkLine(formatExportEntry(3, leaf, hashLeaf(nobleHasher, leaf)))).toMatchObject({ seq: 3, problems: [] });
    expect(warmChecker().checkLine('{"type":"checkpoint","note":"x"}')).toBeUndefined();
  });
});
