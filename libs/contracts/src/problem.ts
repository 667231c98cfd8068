import { z } from 'zod';

/** Stable machine-readable codes carried by every RFC 9457 problem document. */
export const PROBLEM_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'VERSION_CONFLICT',
  'TOO_MANY_REQUESTS',
  'LEGAL_HOLD_ACTIVE',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
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

export const FieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
  code: z.string(),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.enum(PROBLEM_CODES),
  errors: z.array(FieldErrorSchema).optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_TYPE_BASE = 'https://retract.dev/problems/';
export const problemType = (code: ProblemCode) => `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`;
