import { toMillis, toOptionalMillis, type Instant } from './instant';

export interface ReEditInput {
  senderId: string;
  actorId: string;
  /** When the message was recalled; null/absent if it was not. */
  recalledAt?: Instant | null;
  /** The `reEditUntil` the recall decision returned (stored with the recall); null/absent if none was offered. */
  reEditUntil?: Instant | null;
  /** When the draft was already used for a re-edit (a recall offers one re-edit). */
  reEditedAt?: Instant | null;
  /** Server time of the re-edit request. */
  now: Instant;
}

export type ReEditDenialReason = 'NOT_SENDER' | 'NOT_RECALLED' | 'ALREADY_USED' | 'NOT_OFFERED' | 'EXPIRED';

export type ReEditDecision =
  | { allowed: true; reEditUntil: Date }
  | {
      allowed: false;
      /** NOT_RECALLED is a state conflict (409), not a denial code. */
      code: 'NOT_SENDER' | 'REEDIT_EXPIRED' | 'CONFLICT';
      reason: ReEditDenialReason;
      detail: string;
    };

/**
 * May the actor re-edit this recalled message now? The deadline was fixed when the
 * message was recalled (`reEditUntil`), so a later policy change neither shortens nor
 * extends a draft already handed out. `now <= reEditUntil` is allowed (exact to the ms).
 *
 * Order: NOT_SENDER, NOT_RECALLED (CONFLICT), ALREADY_USED, NOT_OFFERED, EXPIRED
 * (the last three answer REEDIT_EXPIRED).
 */
export function decideReEdit(input: ReEditInput): ReEditDecision {
  const now = toMillis(input.now, 'now');
  const recalledAt = toOptionalMillis(input.recalledAt, 'recalledAt');
  const until = toOptionalMillis(input.reEditUntil, 'reEditUntil');
  const reEditedAt = toOptionalMillis(input.reEditedAt, 'reEditedAt');
  if (input.actorId !== input.senderId) {
    return { allowed: false, code: 'NOT_SENDER', reason: 'NOT_SENDER', detail: 'only the sender may re-edit a recalled message' };
  }
  if (recalledAt === undefined) {
    return { allowed: false, code: 'CONFLICT', reason: 'NOT_RECALLED', detail: 'only a recalled message can be re-edited' };
  }
  if (reEditedAt !== undefined) {
    return { allowed: false, code: 'REEDIT_EXPIRED', reason: 'ALREADY_USED', detail: 'this recalled message was already re-edited' };
  }
  if (until === undefined) {
    return { allowed: false, code: 'REEDIT_EXPIRED', reason: 'NOT_OFFERED', detail: 're-edit was not offered for this recall' };
  }
  if (now > until) {
    return { allowed: false, code: 'REEDIT_EXPIRED', reason: 'EXPIRED', detail: 'the re-edit window has closed' };
  }
  return { allowed: true, reEditUntil: new Date(until) };
}
