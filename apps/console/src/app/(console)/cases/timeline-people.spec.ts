import { describe, expect, it } from '@jest/globals';
import type { AuditEntryView } from '@retract/contracts';
import { CONSOLE_LOCALES, getDictionary } from '../../../i18n';
import { timelinePeople } from './timeline-people';

const alice = { id: 'f84431a0-0000-4000-8000-000000000001', displayName: 'Alice Anders', email: 'alice@acme.test' };
const bob = { id: '0b0b0b0b-0000-4000-8000-000000000002', displayName: 'Bob Brown', email: 'bob@acme.test' };

const entry = (over: Partial<AuditEntryView>): AuditEntryView => ({
  seq: 71,
  occurredAt: '2026-12-02T10:00:00.000Z',
  action: 'LEGAL_HOLD_PLACED',
  actor: bob,
  actorId: bob.id,
  subjectUserId: alice.id,
  conversationId: null,
  messageId: null,
  policyVersion: null,
  decidedBy: null,
  denialCode: null,
  forced: false,
  reason: null,
  hasContent: false,
  personalData: null,
  leafHash: '0'.repeat(64),
  source: null,
  serviceAccount: null,
  subject: alice,
  details: {},
  abridged: {},
  ...over,
});

describe('who a case timeline entry is by and about (docs/audit-log.md, "Cases")', () => {
  it('names the other person by name, whoever the case is about', () => {
    expect(timelinePeople(entry({}), getDictionary('en').cases)).toBe('by Bob Brown · about Alice Anders');
  });

  it.each(CONSOLE_LOCALES)('says an erased person is erased, never a short id, in %s', (locale) => {
    const c = getDictionary(locale).cases;
    const text = timelinePeople(entry({ actor: null, subject: null }), c);
    expect(text).toContain(c.erasedPerson);
    expect(text).not.toContain('f84431a0');
  });

  it('says an entry about its own actor once, and the system when nobody acted', () => {
    const c = getDictionary('en').cases;
    expect(timelinePeople(entry({ subjectUserId: bob.id, subject: bob }), c)).toBe('by Bob Brown');
    expect(timelinePeople(entry({ actorId: null, actor: null }), c)).toBe('by the system · about Alice Anders');
  });
});
