import { z } from 'zod';
import { MAX_BODY_LENGTH } from './messages';
import { ConversationKindSchema, DecisionRuleSchema, DenialCodeSchema, MessageTypeSchema } from './policy';
import { LocaleSchema } from './roles';
import { freeText, isBlank, storableString } from './text';

/*
 * Integration mode (docs/integration.md): a chat system that is not Retract's own messaging asks
 * Retract for the recall decision and records recalls in its audit log, through a service account.
 * People and conversations are named by `{source, externalId}`; Retract maps them to its own ids.
 */

// ---------------------------------------------------------------------------
// Service accounts

/** `scim`: provisioning users and groups through /scim/v2 (docs/identity.md). */
export const SERVICE_ACCOUNT_SCOPES = ['recall:decide', 'recall:record', 'directory:write', 'scim'] as const;
export const ServiceAccountScopeSchema = z.enum(SERVICE_ACCOUNT_SCOPES, { error: `must be one of ${SERVICE_ACCOUNT_SCOPES.join(', ')}` });
export type ServiceAccountScope = z.infer<typeof ServiceAccountScopeSchema>;

/** Every service token starts with it, so a token found in a log or a repository is recognisable (and scanners can look for it). */
export const SERVICE_TOKEN_PREFIX = 'rtk_';

export const MAX_SERVICE_ACCOUNT_NAME_LENGTH = 120;
/** The longest list GET /service-accounts answers (an organisation needs a handful). */
export const MAX_SERVICE_ACCOUNTS = 200;

export const CreateServiceAccountRequestSchema = z.strictObject({
  name: freeText(MAX_SERVICE_ACCOUNT_NAME_LENGTH),
  scopes: z
    .array(ServiceAccountScopeSchema)
    .min(1, { error: 'must name at least one scope' })
    .max(SERVICE_ACCOUNT_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, { error: 'must not name a scope twice' }),
});
export type CreateServiceAccountRequest = z.infer<typeof CreateServiceAccountRequestSchema>;

const dateTime = () => z.string().max(35);
const PersonRefSchema = z.object({ id: z.uuid(), displayName: z.string().max(120) }).nullable();

export const ServiceAccountViewSchema = z.object({
  id: z.uuid(),
  name: z.string().max(MAX_SERVICE_ACCOUNT_NAME_LENGTH),
  scopes: z.array(ServiceAccountScopeSchema).max(SERVICE_ACCOUNT_SCOPES.length),
  createdAt: dateTime(),
  /** Null when the administrator who created it was erased since. */
  createdBy: PersonRefSchema,
  /** Last authenticated request (kept to the minute). */
  lastUsedAt: dateTime().nullable(),
  revokedAt: dateTime().nullable(),
});
export type ServiceAccountView = z.infer<typeof ServiceAccountViewSchema>;

export const ServiceAccountListSchema = z.object({ items: z.array(ServiceAccountViewSchema).max(MAX_SERVICE_ACCOUNTS) });
export type ServiceAccountList = z.infer<typeof ServiceAccountListSchema>;

/** Answered once, on creation: the token is stored only as a hash and never shown again. */
export const CreatedServiceAccountSchema = ServiceAccountViewSchema.extend({
  token: z.string().max(100),
});
export type CreatedServiceAccount = z.infer<typeof CreatedServiceAccountSchema>;

export const ServiceAccountIdParamsSchema = z.strictObject({ id: z.uuid({ error: 'must be a service account id (UUID)' }) });

// ---------------------------------------------------------------------------
// External references

/** The chat system a reference comes from: `rocketchat`, `mattermost`, `matrix`, or any name of the integrator's choosing. */
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
export const SourceSchema = z
  .string()
  .max(32, { error: 'must be at most 32 characters' })
  .regex(SOURCE_PATTERN, { error: 'must be 1-32 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit' });

export const MAX_EXTERNAL_ID_LENGTH = 255;
/** The chat system's own id, kept exactly as sent. */
export const ExternalIdSchema = storableString()
  .min(1, { error: 'must not be empty' })
  .max(MAX_EXTERNAL_ID_LENGTH, { error: `must be at most ${MAX_EXTERNAL_ID_LENGTH} characters` });

export const ExternalRefSchema = z.strictObject({ source: SourceSchema, externalId: ExternalIdSchema });
export type ExternalRef = z.infer<typeof ExternalRefSchema>;

export const ExternalConversationRefSchema = ExternalRefSchema.extend({ kind: ConversationKindSchema });

/** An instant with its offset (`Z` or `+09:00`): the same instant written in any time zone is the same time. */
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, such as 2026-12-13T09:30:00Z' }).max(35);

export const ExternalMessageSchema = z.strictObject({
  source: SourceSchema,
  externalId: ExternalIdSchema,
  type: MessageTypeSchema,
  /** When the chat system accepted the message, by its clock: trusted within the configured skew (docs/integration.md, "Time"). */
  sentAt: instant,
  sender: ExternalRefSchema,
  conversation: ExternalConversationRefSchema,
});
export type ExternalMessage = z.infer<typeof ExternalMessageSchema>;

/** Kept exactly as sent; a blank reason counts as none (as for built-in recalls). */
const reasonField = storableString()
  .max(500, { error: 'must be at most 500 characters' })
  .transform((reason) => (isBlank(reason) ? undefined : reason));

const decisionShape = {
  message: ExternalMessageSchema,
  /** Who recalls: the sender, or for `forced` a moderator of the chat system. */
  actor: ExternalRefSchema,
  /** The chat system's moderators removing someone else's message (a reason is then required). */
  forced: z.boolean({ error: 'must be true or false' }).default(false),
  /** Give it when the policy may require one; never stored by a decision. */
  reason: reasonField.optional(),
};

export const RecallDecisionRequestSchema = z.strictObject(decisionShape);
export type RecallDecisionRequest = z.infer<typeof RecallDecisionRequestSchema>;

export const RecallNoticesSchema = z.record(LocaleSchema, z.string().max(400));

export const RecallDecisionSchema = z.object({
  allowed: z.boolean(),
  /** The denial code, when refused. */
  code: DenialCodeSchema.optional(),
  /** The rule that decided (a policy rule, or BUILT_IN:…). */
  rule: DecisionRuleSchema,
  policyVersion: z.number().int().min(1),
  /** Until when the sender may recall it (sentAt + window + grace), by Retract's clock. */
  windowEndsAt: dateTime(),
  /** Until when the recalled message may be re-edited, when the policy offers it. */
  reEditUntil: dateTime().optional(),
  /** RATE_LIMITED: seconds until another recall is allowed. */
  retryAfterSeconds: z.number().int().min(1).optional(),
  /**
   * Allowed: what the conversation's members should see instead of the message. Refused: why, for
   * the person whose recall was refused (the text of the code's problem detail). In every locale.
   */
  notices: RecallNoticesSchema,
});
export type RecallDecision = z.infer<typeof RecallDecisionSchema>;

export const MAX_EXTERNAL_ATTACHMENTS = 32;

export const ExternalRecalledContentSchema = z
  .strictObject({
    text: freeText(MAX_BODY_LENGTH).optional(),
    attachments: z
      .array(z.strictObject({ name: freeText(255) }))
      .max(MAX_EXTERNAL_ATTACHMENTS, { error: `must name at most ${MAX_EXTERNAL_ATTACHMENTS} attachments` })
      .optional(),
  })
  .default({});
export type ExternalRecalledContent = z.infer<typeof ExternalRecalledContentSchema>;

export const RecordRecallRequestSchema = z.strictObject({
  ...decisionShape,
  /** What was recalled: sealed under the sender's data key, readable by compliance only. */
  content: ExternalRecalledContentSchema,
});
export type RecordRecallRequest = z.infer<typeof RecordRecallRequestSchema>;

export const RecordedRecallSchema = z.object({
  decision: RecallDecisionSchema,
  /** The MESSAGE_RECALLED entry's place in the audit log and its leaf hash (base64), as GET /audit/{seq} shows them. */
  auditSeq: z.number().int().min(0),
  leafHash: z.string().max(64),
  /** Retract's id of the message (the audit entries' `messageId`). */
  messageId: z.uuid(),
});
export type RecordedRecall = z.infer<typeof RecordedRecallSchema>;

/**
 * `Idempotency-Key` (IETF httpapi "The Idempotency-Key HTTP Header Field"): a string of the
 * client's choosing, a UUID recommended; sent bare or as a structured-field string ("…").
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

// ---------------------------------------------------------------------------
// Directory

export const DirectoryPersonParamsSchema = z.strictObject({ source: SourceSchema, externalId: ExternalIdSchema });

export const PutDirectoryPersonRequestSchema = z.strictObject({
  displayName: freeText(120).optional(),
  email: z
    .email({ error: 'must be an email address' })
    .max(254)
    .transform((email) => email.toLowerCase())
    .optional(),
  locale: LocaleSchema.optional(),
});
export type PutDirectoryPersonRequest = z.infer<typeof PutDirectoryPersonRequestSchema>;

export const DirectoryPersonSchema = z.object({
  source: z.string().max(32),
  externalId: z.string().max(MAX_EXTERNAL_ID_LENGTH),
  /** Retract's id of the person (what audit entries name). */
  userId: z.uuid(),
  displayName: z.string().max(120),
  /** Null until the directory gives one. */
  email: z.string().max(254).nullable(),
  locale: LocaleSchema,
  /** True when this request created the person. */
  created: z.boolean(),
});
export type DirectoryPerson = z.infer<typeof DirectoryPersonSchema>;
