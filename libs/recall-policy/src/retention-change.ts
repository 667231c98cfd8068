/**
 * Changing how long the audit log keeps recalled content (docs/architecture.md, "Who can do
 * what"). Keeping longer destroys nothing, so it applies at once; keeping shorter waits out a
 * delay during which another compliance officer can cancel it; nothing goes below the floor.
 */
export type RetentionChangePlan =
  | { kind: 'UNCHANGED' }
  | { kind: 'LENGTHEN'; toDays: number }
  | { kind: 'SHORTEN'; toDays: number; effectiveAt: Date }
  | { kind: 'BELOW_FLOOR'; floorDays: number };

export interface RetentionChangeInput {
  inForceDays: number;
  requestedDays: number;
  floorDays: number;
  delayDays: number;
  now: Date;
}

const DAY_MS = 86_400_000;

export function planRetentionChange({ inForceDays, requestedDays, floorDays, delayDays, now }: RetentionChangeInput): RetentionChangePlan {
  if (requestedDays < floorDays) return { kind: 'BELOW_FLOOR', floorDays };
  if (requestedDays === inForceDays) return { kind: 'UNCHANGED' };
  if (requestedDays > inForceDays) return { kind: 'LENGTHEN', toDays: requestedDays };
  return { kind: 'SHORTEN', toDays: requestedDays, effectiveAt: new Date(now.getTime() + delayDays * DAY_MS) };
}

/** The retention the shredding job applies: the policy's, or a shortening whose delay is over; never below the floor. */
export function effectiveRetentionDays(policyDays: number, pending: { toDays: number; effectiveAt: Date } | null, floorDays: number, now: Date): number {
  const days = pending && pending.effectiveAt.getTime() <= now.getTime() ? pending.toDays : policyDays;
  return Math.max(days, floorDays);
}
