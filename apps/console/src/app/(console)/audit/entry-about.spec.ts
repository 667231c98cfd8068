import { describe, expect, it } from '@jest/globals';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntryView } from '@retract/contracts';
import { CONSOLE_LOCALES, getDictionary } from '../../../i18n';
import { auditStrings } from './audit-strings';
import { summarise } from './entry-about';

const entry = (action: AuditAction, details: Record<string, unknown> = {}): AuditEntryView => ({
  seq: 7,
  occurredAt: '2026-12-02T10:00:00.000Z',
  action,
  actor: { id: '00000000-0000-4000-8000-000000000001', displayName: 'Okta', email: 'okta@example.com' },
  actorId: null,
  subjectUserId: '00000000-0000-4000-8000-000000000002',
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
  subject: { id: '00000000-0000-4000-8000-000000000002', displayName: 'Bob Brown', email: 'bob@acme.test' },
  details,
  abridged: {},
});

const strings = (locale: (typeof CONSOLE_LOCALES)[number]) => auditStrings(getDictionary(locale));

describe('the audit About cell (docs/audit-log.md, "Browsing")', () => {
  it.each(CONSOLE_LOCALES)('says something of every kind of entry in %s', (locale) => {
    const t = strings(locale);
    const silent = AUDIT_ACTIONS.filter((action) => !summarise(entry(action), t, locale));
    expect(silent).toEqual([]);
  });

  it('tells an account linked by SCIM provisioning from one linked at a single sign-on', () => {
    const t = strings('en');
    expect(summarise(entry('SSO_USER_LINKED', { via: 'SCIM', serviceAccountId: '00000000-0000-4000-8000-000000000001' }), t, 'en')).toBe(
      'Bob Brown’s existing account linked to SCIM provisioning',
    );
    expect(summarise(entry('SSO_USER_LINKED', { issuer: 'https://idp.example.com' }), t, 'en')).toBe('Bob Brown linked to https://idp.example.com');
  });

  it('names directory changes for what they are, whichever system made them', () => {
    expect(getDictionary('en').auditActions.DIRECTORY_PERSON_CHANGED).toBe('Directory: person added or changed');
  });

  it.each(CONSOLE_LOCALES)('says a case bundle export is a case bundle, of whom and how long, in %s', (locale) => {
    const t = strings(locale);
    const about = summarise(entry('EXPORT_CREATED', { format: 'case', entries: 23, from: null, to: null }), t, locale);
    expect(about).toContain('Bob Brown');
    expect(about).toContain('23');
    expect(about).not.toContain('?');
    const conversation = { ...entry('EXPORT_CREATED', { format: 'case', entries: 4 }), subject: null, subjectUserId: null };
    expect(summarise({ ...conversation, conversationId: 'c0ffee00-0000-4000-8000-000000000009' }, t, locale)).toContain('c0ffee00');
  });

  it('says a case bundle export in words', () => {
    expect(summarise(entry('EXPORT_CREATED', { format: 'case', entries: 23 }), strings('en'), 'en')).toBe('Case bundle for Bob Brown, 23 entries');
  });

  it.each(CONSOLE_LOCALES)('words a policy change as the policy page’s version history does, in %s', (locale) => {
    const dict = getDictionary(locale);
    const change = entry('POLICY_CHANGED', {
      fromVersion: 3,
      toVersion: 4,
      diff: [
        { path: 'requireReason', from: 'NEVER', to: 'ALWAYS' },
        { path: 'windowSeconds', from: 120, to: 600 },
      ],
    });
    const about = summarise(change, strings(locale), locale);
    expect(about).toContain(`${dict.policy.reasonModes.NEVER} → ${dict.policy.reasonModes.ALWAYS}`);
    expect(about).not.toContain('NEVER');
    expect(about).not.toContain('120');
  });
});
