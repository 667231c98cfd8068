/*
 * The policy's plain constants, without zod, so that browser code can import them without
 * pulling in the schemas (policy.ts re-exports everything here).
 */

export const MESSAGE_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'FILE', 'VOICE', 'LOCATION', 'RED_PACKET', 'TRANSFER'] as const;

/** Payment messages can never be recalled, whatever the policy says and whoever asks. */
export const PAYMENT_TYPES = ['RED_PACKET', 'TRANSFER'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** The types a policy may switch recall on or off for (every non-payment type). */
export const RECALLABLE_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'FILE', 'VOICE', 'LOCATION'] as const;
export type RecallableType = (typeof RECALLABLE_TYPES)[number];

/**
 * The fields of a policy as they are named in diffs, in effective-policy provenance and
 * in override settings (`requireReason` covers `reasonAfterSeconds`).
 */
export const POLICY_FIELDS = [
  'windowSeconds',
  'graceSeconds',
  'editAfterRecall',
  'reEditWindowSeconds',
  'recallableTypes',
  'batchRecall.enabled',
  'batchRecall.maxBatch',
  'requireReason',
  'maxRecallsPerHour',
  'auditRetentionDays',
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
