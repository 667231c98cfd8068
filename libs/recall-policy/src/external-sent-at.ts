import { toMillis, toOptionalMillis, type Instant } from './instant';

export interface ExternalSentAtInput {
  /** When the chat system says it accepted the message, by its own clock. */
  claimed: Instant;
  /** Retract's clock when it first saw the message: the first request about it, or this one (`now`) when none came before. */
  firstSeenAt?: Instant | null;
  /** Retract's clock now. */
  now: Instant;
  /** How far ahead of Retract's first sight the claim may be (INTEGRATION_SENT_AT_SKEW_SECONDS). */
  skewMs: number;
}

export interface ExternalSentAt {
  /** The time the decision uses as the message's sentAt. */
  sentAt: Date;
  /** True when the claim was ahead beyond the skew and Retract's first sight replaced it. */
  replaced: boolean;
  /** Retract's first sight of the message (what a sighting records). */
  firstSeenAt: Date;
}

/**
 * Which sentAt a chat system's message is judged by (docs/integration.md, "Time"). Server time
 * decides: a message cannot have been sent after Retract first saw it, so a claim ahead of that
 * sight by more than the skew comes from a clock running fast and the sight is used instead.
 * A claim in the past is kept: Retract cannot tell an old message from a slow clock, and an
 * earlier sentAt can only shorten the window, never lengthen it.
 */
export function externalSentAt(input: ExternalSentAtInput): ExternalSentAt {
  const claimed = toMillis(input.claimed, 'claimed');
  const now = toMillis(input.now, 'now');
  const firstSeen = Math.min(toOptionalMillis(input.firstSeenAt, 'firstSeenAt') ?? now, now);
  if (!(input.skewMs >= 0)) throw new RangeError('skewMs must be zero or more');
  const replaced = claimed > firstSeen + input.skewMs;
  return { sentAt: new Date(replaced ? firstSeen : claimed), replaced, firstSeenAt: new Date(firstSeen) };
}
