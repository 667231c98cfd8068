import fc from 'fast-check';
import { effectiveRetentionDays, planRetentionChange } from './retention-change';

const days = fc.integer({ min: 1, max: 3650 });
const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true });

describe('planRetentionChange', () => {
  it('never plans a retention below the floor, and a shortening never takes effect before its delay', () => {
    fc.assert(
      fc.property(days, days, days, fc.integer({ min: 0, max: 90 }), instant, (inForceDays, requestedDays, floorDays, delayDays, now) => {
        const plan = planRetentionChange({ inForceDays, requestedDays, floorDays, delayDays, now });
        if (plan.kind === 'LENGTHEN' || plan.kind === 'SHORTEN') expect(plan.toDays).toBeGreaterThanOrEqual(floorDays);
        if (plan.kind === 'SHORTEN') expect(plan.effectiveAt.getTime() - now.getTime()).toBe(delayDays * 86_400_000);
        if (plan.kind === 'LENGTHEN') expect(plan.toDays).toBeGreaterThan(inForceDays);
        expect(plan.kind === 'BELOW_FLOOR').toBe(requestedDays < floorDays);
      }),
    );
  });

  it('applies a pending shortening only once its time has come, and never below the floor', () => {
    fc.assert(
      fc.property(days, days, days, instant, instant, (policyDays, toDays, floorDays, effectiveAt, now) => {
        const effective = effectiveRetentionDays(policyDays, { toDays, effectiveAt }, floorDays, now);
        expect(effective).toBeGreaterThanOrEqual(floorDays);
        expect(effective).toBe(Math.max(now >= effectiveAt ? toDays : policyDays, floorDays));
      }),
    );
    expect(effectiveRetentionDays(400, null, 365, new Date())).toBe(400);
    expect(effectiveRetentionDays(30, null, 365, new Date())).toBe(365);
  });
});
