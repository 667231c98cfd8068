import fc from 'fast-check';
import { utf8Bytes } from './bytes';
import { decodeLeaf, encodeLeaf, type AuditEntry } from './leaf';

const ENTRY: AuditEntry = {
  tenantId: '8c1f0d3e-2b4a-4c5d-9e6f-7a8b9c0d1e2f',
  seq: 12,
  occurredAt: '2025-03-04T05:06:07.089Z',
  action: 'MESSAGE_RECALLED',
  messageId: 'm-1',
  forced: false,
  alreadyDeliveredTo: ['u-2', 'u-3'],
  content: { alg: 'AES-256-GCM', kid: 'k1', nonce: 'bm9uY2U=', ct: 'Y3Q=' },
};

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('leaf envelope', () => {
  it('is the canonical JSON of {"v":2, ...entry}, or of an older version asked for', () => {
    expect(text(encodeLeaf(ENTRY))).toBe(
      '{"action":"MESSAGE_RECALLED","alreadyDeliveredTo":["u-2","u-3"],"content":{"alg":"AES-256-GCM","ct":"Y3Q=","kid":"k1","nonce":"bm9uY2U="},"forced":false,"messageId":"m-1","occurredAt":"2025-03-04T05:06:07.089Z","seq":12,"tenantId":"8c1f0d3e-2b4a-4c5d-9e6f-7a8b9c0d1e2f","v":2}',
    );
    expect(text(encodeLeaf(ENTRY, 1))).toBe(
      '{"action":"MESSAGE_RECALLED","alreadyDeliveredTo":["u-2","u-3"],"content":{"alg":"AES-256-GCM","ct":"Y3Q=","kid":"k1","nonce":"bm9uY2U="},"forced":false,"messageId":"m-1","occurredAt":"2025-03-04T05:06:07.089Z","seq":12,"tenantId":"8c1f0d3e-2b4a-4c5d-9e6f-7a8b9c0d1e2f","v":1}',
    );
  });

  it('decodes what it encodes, in every version', () => {
    expect(decodeLeaf(encodeLeaf(ENTRY))).toEqual({ v: 2, ...ENTRY });
    expect(decodeLeaf(encodeLeaf(ENTRY, 1))).toEqual({ v: 1, ...ENTRY });
  });

  it('refuses to encode an unknown version', () => {
    expect(() => encodeLeaf(ENTRY, 3 as never)).toThrow(expect.objectContaining({ code: 'ENTRY_INVALID' }));
  });

  it('round-trips any extra JSON fields', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => !['v', 'tenantId', 'seq', 'occurredAt', 'action'].includes(k)),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 4 },
        ),
        (extra) => {
          const entry = { ...extra, ...ENTRY } as AuditEntry;
          const leaf = encodeLeaf(entry);
          expect(encodeLeaf(stripV(decodeLeaf(leaf)))).toEqual(leaf);
          const old = encodeLeaf(entry, 1);
          expect(encodeLeaf(stripV(decodeLeaf(old)), 1)).toEqual(old);
        },
      ),
      { numRuns: 100 },
    );
  });

  const canonical = text(encodeLeaf(ENTRY, 1));
  it.each([
    ['whitespace', canonical.replace(',', ', ')],
    ['keys out of order', canonical.replace('{"action":"MESSAGE_RECALLED",', '{').replace('"v":1}', '"v":1,"action":"MESSAGE_RECALLED"}')],
    ['a duplicate key', canonical.replace('"v":1}', '"v":1,"v":1}')],
    ['a number with a different spelling', canonical.replace('"seq":12', '"seq":12.0')],
    ['an escaped character that need not be', canonical.replace('"m-1"', '"m\\u002d1"')],
    ['a byte order mark', '\ufeff' + canonical],
    ['a trailing newline', canonical + '\n'],
    ['version 3', canonical.replace('"v":1', '"v":3')],
    ['version 0', canonical.replace('"v":1', '"v":0')],
    ['a string version', canonical.replace('"v":1', '"v":"1"')],
    ['no version', canonical.replace(',"v":1', '')],
    ['an upper-case tenant id', canonical.replace('8c1f0d3e', '8C1F0D3E')],
    ['a negative seq', canonical.replace('"seq":12', '"seq":-1')],
    ['a fractional seq', canonical.replace('"seq":12', '"seq":1.5')],
    ['a seq beyond 2^53', canonical.replace('"seq":12', '"seq":9007199254740993')],
    ['seconds precision', canonical.replace('07.089Z', '07Z')],
    ['microseconds', canonical.replace('07.089Z', '07.089123Z')],
    ['an offset instead of Z', canonical.replace('07.089Z', '07.089+00:00')],
    ['an impossible date', canonical.replace('2025-03-04', '2025-02-30')],
    ['a lower-case action', canonical.replace('MESSAGE_RECALLED', 'message_recalled')],
    ['an array', '[1]'],
    ['not JSON', 'nope'],
  ])('rejects a leaf with %s', (_name, leafText) => {
    expect(() => decodeLeaf(utf8Bytes(leafText))).toThrow(expect.objectContaining({ code: 'LEAF_INVALID' }));
  });

  it('rejects bytes that are not UTF-8', () => {
    const bytes = encodeLeaf(ENTRY);
    const broken = Uint8Array.from([...bytes.slice(0, 10), 0xff, ...bytes.slice(10)]);
    expect(() => decodeLeaf(broken)).toThrow(expect.objectContaining({ code: 'LEAF_INVALID' }));
  });

  it.each([
    ['a "v" field', { ...ENTRY, v: 2 }],
    ['no tenantId', { ...ENTRY, tenantId: undefined }],
    ['an undefined field', { ...ENTRY, extra: undefined }],
    ['a non-finite number', { ...ENTRY, extra: Infinity }],
    ['a local timestamp', { ...ENTRY, occurredAt: '2025-03-04T05:06:07.089' }],
  ])('refuses to encode an entry with %s', (_name, entry) => {
    expect(() => encodeLeaf(entry as unknown as AuditEntry)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/ENTRY_INVALID|NOT_CANONICAL_JSON/) }),
    );
  });
});

function stripV(leaf: ReturnType<typeof decodeLeaf>): AuditEntry {
  const { v: _v, ...entry } = leaf;
  return entry;
}
