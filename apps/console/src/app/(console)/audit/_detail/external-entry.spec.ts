import { describe, expect, it } from '@jest/globals';
import { CONSOLE_LOCALES, getDictionary } from '../../../../i18n';
import { externalIds, groupLabel } from './entry-facts';
import { reachNote } from './recall-reach';

/** A chat system's recall as the entry panel shows it (docs/integration.md, "In the console"). */
const external = {
  source: 'rocketchat',
  details: { external: { messageId: 'msg-1001', conversationId: 'GENERAL', sentAt: '2026-12-13T09:30:00+09:00' } },
  recallReach: { recipients: 0, applied: 0, pending: [] },
};

describe('an integrated chat system’s entry in the audit panel', () => {
  it.each(CONSOLE_LOCALES)('says in %s that Retract does not know the recipients, never that there were none', (locale) => {
    const a = getDictionary(locale).audit;
    const note = reachNote(external, a);
    expect(note).toContain('rocketchat');
    expect(note).not.toBe(a.reachNone);
    expect(reachNote({ source: null, recallReach: external.recallReach }, a)).toBe(a.reachNone);
    expect(reachNote({ source: null, recallReach: { recipients: 2, applied: 1, pending: [] } }, a)).toBeNull();
  });

  it.each(CONSOLE_LOCALES)('names a group without a title by the chat system’s conversation id in %s', (locale) => {
    const a = getDictionary(locale).audit;
    const ids = externalIds(external);
    for (const title of [null, '', ' ']) {
      const label = groupLabel(title, ids, a);
      expect(label).toContain('GENERAL');
      expect(label).toContain('rocketchat');
    }
    expect(groupLabel('Finance', ids, a)).toContain('Finance');
    expect(groupLabel(null, null, a)).toBe(a.conversationUntitled);
  });
});
