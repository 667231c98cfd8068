import { z } from 'zod';

export const AUDIT_ACTIONS = [
  'MESSAGE_RECALLED',
  'RECALL_DENIED',
  'MESSAGE_REEDITED',
  'POLICY_CHANGED',
  'ROLE_CHANGED',
  'USER_CREATED',
  'USER_DEACTIVATED',
  'USER_REACTIVATED',
  'LEGAL_HOLD_PLACED',
  'LEGAL_HOLD_RELEASED',
  'CONTENT_ERASED',
  'ERASURE_REFUSED',
  'RETENTION_SHREDDED',
  'EXPORT_CREATED',
  'AUDIT_CONTENT_VIEWED',
  'WEBHOOK_CHANGED',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;
