import { z } from 'zod';

/** Stable machine-readable codes carried by every RFC 9457 problem document. */
export const PROBLEM_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'SSO_REQUIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'VERSION_CONFLICT',
  'TOO_MANY_REQUESTS',
  'LEGAL_HOLD_ACTIVE',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
  // Idempotency-Key (docs/integration.md): the key was used with another body; its first request is still being answered.
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
  // Recall denial codes (DESIGN §3)
  'WINDOW_EXPIRED',
  'TYPE_NOT_RECALLABLE',
  'ALREADY_RECALLED',
  'NOT_SENDER',
  'REASON_REQUIRED',
  'RATE_LIMITED',
  'BATCH_TOO_LARGE',
  'BATCH_DISABLED',
  'REEDIT_EXPIRED',
  'RECALL_OFF',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/*
 * Bounds of a problem document (docs/architecture.md, "API bounds"): the API shortens a longer
 * field path or text to these and lists the first MAX_FIELD_ERRORS field errors.
 */
export const MAX_FIELD_ERRORS = 100;
export const MAX_FIELD_PATH_LENGTH = 512;
export const MAX_PROBLEM_TEXT_LENGTH = 2000;
/** Longer request paths are not echoed as `instance`. */
export const MAX_PROBLEM_INSTANCE_LENGTH = 2048;
const MAX_PROBLEM_WORD_LENGTH = 255;

export const FieldErrorSchema = z.object({
  field: z.string().max(MAX_FIELD_PATH_LENGTH),
  message: z.string().max(MAX_PROBLEM_TEXT_LENGTH),
  code: z.string().max(MAX_PROBLEM_WORD_LENGTH),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** RFC 9457; members besides these are extensions (e.g. `currentVersion` with VERSION_CONFLICT): `ProblemSchema.loose()` admits them. */
export const ProblemSchema = z.object({
  type: z.string().max(MAX_PROBLEM_WORD_LENGTH),
  title: z.string().max(MAX_PROBLEM_WORD_LENGTH),
  status: z.number().int().min(400).max(599),
  detail: z.string().max(MAX_PROBLEM_TEXT_LENGTH).optional(),
  instance: z.string().max(MAX_PROBLEM_INSTANCE_LENGTH).optional(),
  code: z.enum(PROBLEM_CODES),
  errors: z.array(FieldErrorSchema).max(MAX_FIELD_ERRORS).optional(),
  /** The X-Request-Id the client sent (1..128 of A-Z a-z 0-9 . _ -) or a UUID. */
  requestId: z.string().max(128).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_TYPE_BASE = 'https://retract.dev/problems/';
export const problemType = (code: ProblemCode) => `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`;
export * from './problem-details';
