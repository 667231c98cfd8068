export * from './client';
export * from './tenant-scope';
export * from './sql';
export * from './unavailable';
export { afterCommit } from './after-commit';
export { Prisma } from './generated/prisma/client';
export type {
  Tenant,
  User,
  Session,
  Conversation,
  ConversationMember,
  Message,
  MessageReceipt,
  MessageHidden,
  PolicyVersion,
  AuditLogHead,
  AuditEntry,
  AuditTreeNode,
  AuditSigningKey,
  AuditCheckpoint,
  AuditDataKey,
  LegalHold,
  RetentionChange,
  EventLogHead,
  Event,
  Webhook,
  WebhookDelivery,
} from './generated/prisma/client';
export * from './generated/prisma/enums';
