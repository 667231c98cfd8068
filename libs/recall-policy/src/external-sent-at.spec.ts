import fc from 'fast-check';
import { externalSentAt } from './external-sent-at';

const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
const skewMs = fc.integer({ min: 0, max: 60_000 });

describe('externalSentAt (docs/integration.md, "Time")', () => {
  it('keeps a claim no later than first sight + skew, and otherwise uses first sight', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        skewMs,
        fc.integer({ min: 0, max: 3_600_000 }),
        (firstSeen, offset, skew, later) => {
          const claimed = firstSeen + offset;
          const result = externalSentAt({ claimed, firstSeenAt: firstSeen, now: firstSeen + later, skewMs: skew });
          if (offset <= skew) expect(result).toEqual({ sentAt: new Date(claimed), replaced: false, firstSeenAt: new Date(firstSeen) });
          else expect(result).toEqual({ sentAt: new Date(firstSeen), replaced: true, firstSeenAt: new Date(firstSeen) });
        },
      ),
    );
  });

  it('never makes a message younger than Retract saw it, so a fast clock cannot lengthen the window', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 86_400_000 }), skewMs, instant, (firstSeen, later, skew, claimed) => {
        const { sentAt } = externalSentAt({ claimed, firstSeenAt: firstSeen, now: firstSeen + later, skewMs: skew });
        expect(sentAt.getTime()).toBeLessThanOrEqual(firstSeen + skew);
      }),
    );
  });

  it('gives the same time for a clock ahead by any amount beyond the skew, asked first at the same moment', () => {
    fc.assert(
      fc.property(instant, skewMs, fc.integer({ min: 1, max: 86_400_000 }), fc.integer({ min: 1, max: 86_400_000 }), (sent, skew, aheadA, aheadB) => {
        const a = externalSentAt({ claimed: sent + skew + aheadA, now: sent, skewMs: skew });
        const b = externalSentAt({ claimed: sent + skew + aheadB, now: sent, skewMs: skew });
        expect(a.sentAt).toEqual(b.sentAt);
        expect(a.sentAt).toEqual(new Date(sent));
      }),
    );
  });

  it('takes this request as first sight when there was none, and never a sight later than now', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 3_600_000 }), (now, after) => {
        expect(externalSentAt({ claimed: now + 3_600_000, now, skewMs: 5000 }).firstSeenAt).toEqual(new Date(now));
        expect(externalSentAt({ claimed: now + 3_600_000, firstSeenAt: now + after, now, skewMs: 5000 }).firstSeenAt).toEqual(new Date(now));
      }),
    );
  });

  it('refuses a negative skew and invalid times', () => {
    expect(() => externalSentAt({ claimed: 0, now: 0, skewMs: -1 })).toThrow(RangeError);
    expect(() => externalSentAt({ claimed: new Date('x'), now: 0, skewMs: 0 })).toThrow(RangeError);
  });
});
