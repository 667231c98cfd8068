import { describe, expect, it } from '@jest/globals';
import type { MessageView } from '@retract/contracts';
import fc from 'fast-check';
import { asRecalled, clock, reasonRequired, recallLeft, upsert } from './message-list-model';

const message = (id: string, over: Partial<MessageView> = {}): MessageView => ({
  id,
  conversationId: '00000000-0000-4000-8000-000000000001',
  senderId: '00000000-0000-4000-8000-000000000002',
  senderName: 'Alice',
  type: 'TEXT',
  sentAt: '2026-12-01T10:00:00.000Z',
  state: 'ACTIVE',
  body: 'hello',
  attachment: null,
  location: null,
  payment: null,
  replacesMessageId: null,
  recalledAt: null,
  recallKind: null,
  notice: null,
  reEditUntil: null,
  recallReach: null,
  ...over,
});

const recalled = (applied: number) =>
  message('m', {
    ...asRecalled(message('m'), { recalledAt: '2026-12-01T10:01:00.000Z', recallKind: 'SENDER', notice: 'You recalled a message' }),
    recallReach: { recipients: 3, applied },
  });

describe('upsert', () => {
  it('keeps newest first', () => {
    const list = upsert([message('b', { sentAt: '2026-12-01T10:00:02.000Z' })], message('a', { sentAt: '2026-12-01T10:00:01.000Z' }));
    expect(list.map((m) => m.id)).toEqual(['b', 'a']);
  });

  it('whatever order the reads answer in, a recall stays and its reach is the largest seen', () => {
    const reads = fc.array(fc.oneof(fc.constant(message('m')), fc.integer({ min: 0, max: 3 }).map(recalled)), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(reads, (answers) => {
        const shown = answers.reduce((list, m) => upsert(list, m), [] as MessageView[])[0];
        const recalls = answers.filter((m) => m.state === 'RECALLED');
        if (recalls.length === 0) return expect(shown.state).toBe('ACTIVE');
        expect(shown.state).toBe('RECALLED');
        expect(shown.body).toBeNull();
        expect(shown.recallReach?.applied).toBe(Math.max(...recalls.map((m) => m.recallReach!.applied)));
      }),
    );
  });
});

describe('recall rules on the page', () => {
  const sent = { sentAt: '2026-12-01T10:00:00.000Z' };
  const at = (seconds: number) => Date.parse(sent.sentAt) + seconds * 1000;

  it('asks for a reason as the policy says', () => {
    expect(reasonRequired(undefined, sent, at(500))).toBe(false);
    expect(reasonRequired({ mode: 'NEVER', afterSeconds: null }, sent, at(500))).toBe(false);
    expect(reasonRequired({ mode: 'ALWAYS', afterSeconds: null }, sent, at(0))).toBe(true);
    expect(reasonRequired({ mode: 'AFTER_SECONDS', afterSeconds: 60 }, sent, at(60))).toBe(false);
    expect(reasonRequired({ mode: 'AFTER_SECONDS', afterSeconds: 60 }, sent, at(61))).toBe(true);
  });

  it('counts the window down in server time', () => {
    expect(recallLeft(sent, 120_000, null)).toBeNull();
    expect(recallLeft(sent, 120_000, at(30))).toBe(90_000);
    expect(recallLeft(sent, 120_000, at(-5))).toBe(120_000);
    expect(clock(90_000)).toBe('1:30');
    expect(clock(3_723_000)).toBe('1:02:03');
    expect(clock(-1)).toBe('0:00');
  });
});
