import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PolicyDocumentSchema } from '@retract/contracts';
import { decideReEdit } from './decide-re-edit';
import { decideRecall } from './decide-recall';
import { USERS, arbNow, message } from './testing/arbitraries';

const [alice, bob] = USERS;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

describe('decideReEdit', () => {
  it('honours the deadline the recall handed out, exact to the millisecond', () => {
    fc.assert(
      fc.property(arbNow, fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 0, max: 125_000 }), (now, reEditWindowSeconds, age) => {
        const policy = PolicyDocumentSchema.parse({ settings: { reEditWindowSeconds } });
        const recall = decideRecall({
          policy,
          policyVersion: 1,
          message: message({ sentAt: now - age }),
          actor: { userId: alice },
          now,
          recentRecalls: { count: 0 },
        });
        if (!recall.allowed || !recall.reEditUntil) throw new Error('expected a re-edit offer');
        const until = recall.reEditUntil.getTime();
        expect(until).toBe(now + reEditWindowSeconds * 1000);
        const at = (t: number) => decideReEdit({ senderId: alice, actorId: alice, recalledAt: now, reEditUntil: recall.reEditUntil, now: t });
        expect(at(until)).toEqual({ allowed: true, reEditUntil: new Date(until) });
        expect(at(until + 1)).toMatchObject({ allowed: false, code: 'REEDIT_EXPIRED', reason: 'EXPIRED' });
      }),
    );
  });

  it('answers the sender only, once, and only for a recalled message that was offered a re-edit', () => {
    const base = { senderId: alice, actorId: alice, recalledAt: T0, reEditUntil: T0 + 300_000, now: T0 + 1000 };
    expect(decideReEdit(base).allowed).toBe(true);
    expect(decideReEdit({ ...base, actorId: bob })).toMatchObject({ code: 'NOT_SENDER' });
    expect(decideReEdit({ ...base, recalledAt: null })).toMatchObject({ code: 'CONFLICT', reason: 'NOT_RECALLED' });
    expect(decideReEdit({ ...base, reEditedAt: T0 + 500 })).toMatchObject({ code: 'REEDIT_EXPIRED', reason: 'ALREADY_USED' });
    expect(decideReEdit({ ...base, reEditUntil: undefined })).toMatchObject({ code: 'REEDIT_EXPIRED', reason: 'NOT_OFFERED' });
  });
});
