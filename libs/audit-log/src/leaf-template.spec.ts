import fc from 'fast-check';
import { encodeLeaf, type AuditEntry } from './leaf';
import { fillLeafTemplate, leafTemplate, type UnplacedEntry } from './leaf-template';

const json: fc.Arbitrary<unknown> = fc.jsonValue();
const fieldName = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['v', 'seq', 'occurredAt', 'tenantId', 'action', '__proto__'].includes(k));
const unplacedEntry: fc.Arbitrary<UnplacedEntry> = fc
  .record({
    tenantId: fc.uuid().map((id) => id.toLowerCase()),
    action: fc.constantFrom('MESSAGE_RECALLED', 'RECALL_DENIED', 'POLICY_CHANGED', 'A', 'X_1'),
    extra: fc.dictionary(fieldName, json, { maxKeys: 8 }),
  })
  .map(({ tenantId, action, extra }) => ({ ...extra, tenantId, action }));
const time = fc.date({ min: new Date('1970-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());

describe('leaf template', () => {
  it('filled at any seq and time gives exactly the bytes encodeLeaf gives', () => {
    fc.assert(
      fc.property(unplacedEntry, fc.nat({ max: Number.MAX_SAFE_INTEGER }), time, (entry, seq, occurredAt) => {
        const filled = fillLeafTemplate(leafTemplate(entry), seq, occurredAt);
        expect(Buffer.from(filled).equals(Buffer.from(encodeLeaf({ ...entry, seq, occurredAt } as AuditEntry)))).toBe(true);
      }),
    );
  });

  it('refuses what encodeLeaf refuses, and a seq or time given in advance', () => {
    const entry = { tenantId: '8c1f0d3e-2b4a-4c5d-9e6f-7a8b9c0d1e2f', action: 'POLICY_CHANGED' };
    expect(() => leafTemplate({ ...entry, action: 'lower' })).toThrow(/action/);
    expect(() => leafTemplate({ ...entry, v: 1 })).toThrow(/"v"/);
    expect(() => leafTemplate({ ...entry, seq: 3 })).toThrow(/no seq/);
    expect(() => leafTemplate({ ...entry, details: { at: new Date() } } as unknown as UnplacedEntry)).toThrow();
  });
});
