import { z } from 'zod';
import { LegalHoldViewSchema } from './audit';

/**
 * Why an active legal hold covers a person's sealed content (docs/architecture.md, "Who can do what"):
 * PERSON — a USER hold on them; ORGANISATION — a TENANT hold; CONVERSATION — a CONVERSATION hold on a
 * conversation holding their recalled content; RECEIVED — a USER hold on someone else who is a member
 * of a conversation holding their recalled content (their data keys also seal what the held person received).
 */
export const LEGAL_HOLD_COVERAGE_REASONS = ['PERSON', 'ORGANISATION', 'CONVERSATION', 'RECEIVED'] as const;
export type LegalHoldCoverageReason = (typeof LEGAL_HOLD_COVERAGE_REASONS)[number];

/** Whose hold coverage to compute: one person of the caller's organisation. */
export const LegalHoldCoverageQuerySchema = z.strictObject({ subjectUserId: z.uuid() });

/** Active holds are few; an answer names at most this many (the most recently placed). */
export const MAX_COVERING_HOLDS = 500;

/** `email` is null when Retract knows no address for the person (isPlaceholderEmail). */
const CoveredPersonSchema = z.object({ id: z.uuid(), displayName: z.string().max(120), email: z.string().max(254).nullable() });

export const LegalHoldCoverageSchema = z.object({
  subjectUserId: z.uuid(),
  /** Null once the person is erased (their name and email are gone). */
  person: CoveredPersonSchema.nullable(),
  /** Whether erasure of the person would be refused (409 LEGAL_HOLD_ACTIVE) and retention keeps their keys: `holds` is not empty. */
  held: z.boolean(),
  holds: z
    .array(
      z.object({
        reason: z.enum(LEGAL_HOLD_COVERAGE_REASONS),
        hold: LegalHoldViewSchema,
        /** A USER hold's held person (the subject themselves for PERSON, the recipient for RECEIVED); null for other scopes or when erased. */
        heldPerson: CoveredPersonSchema.nullable(),
      }),
    )
    .max(MAX_COVERING_HOLDS),
});
export type LegalHoldCoverage = z.infer<typeof LegalHoldCoverageSchema>;
