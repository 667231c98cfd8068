import { caseSummary, type CaseSummaryFacts } from './case-summary';

const facts: CaseSummaryFacts = {
  organisation: { name: 'Acme Corporation', slug: 'acme' },
  subject: { person: { id: 'c0ffee00-0000-4000-8000-000000000001', displayName: 'Carol Chen', email: 'carol@acme.test', erased: false }, conversation: null },
  from: '2026-11-01T00:00:00.000Z',
  exportedAt: '2026-12-03T08:00:00.000Z',
  exportedBy: { displayName: 'Cora Compliance', email: 'compliance@acme.test' },
  exportSeq: 42,
  entries: [
    { seq: 3, action: 'MESSAGE_RECALLED' },
    { seq: 9, action: 'RECALL_DENIED' },
    { seq: 17, action: 'MESSAGE_RECALLED' },
    { seq: 42, action: 'EXPORT_CREATED' },
  ],
  checkpoint: { origin: 'retract/t', treeSize: 43, rootHash: 'cm9vdA==', note: 'note', keyName: 'retract/t', createdAt: '2026-12-03T08:00:00.100Z' },
  trustedKey: 'retract/t+01234567+AQID',
};

describe('caseSummary', () => {
  it('says what the case is, who exported it as which entry, what it holds by action and how to verify it', () => {
    const text = caseSummary(facts);
    expect(text).toContain('Case:          person Carol Chen <carol@acme.test> (c0ffee00-0000-4000-8000-000000000001)');
    expect(text).toContain('Period:        2026-11-01T00:00:00.000Z to the export (UTC)');
    expect(text).toContain('by Cora Compliance <compliance@acme.test>, recorded as audit entry seq 42 (EXPORT_CREATED)');
    expect(text).toContain('Entries:       4 (seq 3 to 42)');
    expect(text).toMatch(/ {2}MESSAGE_RECALLED {2}2\n {2}RECALL_DENIED {5}1\n/);
    expect(text).toContain("npm run verify -- ~/Downloads/case.jsonl --trusted-key 'retract/t+01234567+AQID'");
  });

  it('names an erased person by id only, a conversation by its title, and a case of neither as the whole log', () => {
    const erased = caseSummary({ ...facts, subject: { person: { ...facts.subject.person!, displayName: 'Erased user', erased: true }, conversation: null } });
    expect(erased).toContain('Case:          person c0ffee00-0000-4000-8000-000000000001 (erased: name and email are gone)');
    expect(erased).not.toContain('Erased user');
    const both = caseSummary({ ...facts, subject: { ...facts.subject, conversation: { id: 'c0ffee00-0000-4000-8000-0000000000aa', title: 'Launch' } } });
    expect(both).toContain('in conversation "Launch" (c0ffee00-0000-4000-8000-0000000000aa)');
    expect(caseSummary({ ...facts, subject: { person: null, conversation: null } })).toContain('Case:          the whole log');
  });
});
