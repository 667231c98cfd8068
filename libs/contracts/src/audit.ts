import { z } from 'zod';
import {
  dateTimeText,
  displayNameText,
  emailText,
  hashText,
  identifierText,
  MAX_DATE_TIME_LENGTH,
  MAX_DOCUMENT_LENGTH,
  MAX_PROOF_HASHES,
  pageOf,
  serverText,
} from './bounds';
import { MAX_CONVERSATION_MEMBERS, MAX_CONVERSATION_TITLE_LENGTH } from './conversations';
import { ConversationKindSchema } from './policy';
import { freeText, searchTerm } from './text';

export const AUDIT_ACTIONS = [
  'MESSAGE_RECALLED',
  'RECALL_DENIED',
  'MESSAGE_REEDITED',
  'POLICY_CHANGED',
  'ROLE_CHANGED',
  'USER_CREATED',
  'USER_DEACTIVATED',
  'USER_REACTIVATED',
  'PASSWORD_CHANGED',
  'LEGAL_HOLD_PLACED',
  'LEGAL_HOLD_RELEASED',
  'CONTENT_ERASED',
  'ERASURE_REFUSED',
  'RETENTION_SHREDDED',
  'EXPORT_CREATED',
  'AUDIT_CONTENT_VIEWED',
  'WEBHOOK_CHANGED',
  'ROLE_GRANT_REQUESTED',
  'ROLE_GRANT_APPROVED',
  'ROLE_GRANT_REFUSED',
  'ROLE_GRANT_REVOKED',
  'RETENTION_SHORTENING_PROPOSED',
  'RETENTION_SHORTENING_CANCELLED',
  'SERVICE_ACCOUNT_CREATED',
  'SERVICE_ACCOUNT_REVOKED',
  'DIRECTORY_PERSON_CHANGED',
  'SSO_CONFIGURED',
  'SSO_USER_LINKED',
  'SCIM_GROUP_CHANGED',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

const isoDate = z.iso.datetime({ offset: true }).max(MAX_DATE_TIME_LENGTH);
const seqNumber = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const AuditListQuerySchema = z.strictObject({
  action: AuditActionSchema.optional(),
  actorId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  messageId: z.uuid().optional(),
  subjectUserId: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: searchTerm(200).optional(),
  /** Entries about messages of this chat system (integration mode: docs/integration.md). */
  source: z
    .string()
    .max(32)
    .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, { error: 'must be a source name such as rocketchat' })
    .optional(),
  cursor: seqNumber.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;

/** `email` is null for a person Retract knows no address for (a chat system's person the directory has not named: isPlaceholderEmail). */
const PersonSchema = z.object({ id: z.uuid(), displayName: displayNameText(), email: emailText().nullable() }).nullable();

/** What legal holds, erasures and forced recalls quote: the request schemas bound them to 500 characters. */
const MAX_QUOTED_TEXT_LENGTH = 500;

export const AuditEntryViewSchema = z.object({
  seq: z.number().int(),
  occurredAt: dateTimeText(),
  action: AuditActionSchema,
  actor: PersonSchema,
  actorId: z.uuid().nullable(),
  subjectUserId: z.uuid().nullable(),
  conversationId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  policyVersion: z.number().int().nullable(),
  decidedBy: identifierText().nullable(),
  denialCode: identifierText().nullable(),
  forced: z.boolean(),
  reason: z.string().max(MAX_QUOTED_TEXT_LENGTH).nullable(),
  hasContent: z.boolean(),
  /**
   * The entry's sealed personal data (reason, email, quoted matters): READABLE, ERASED with its
   * person's key, UNREADABLE; null when it has none or keeps it in the clear (entries of format 1).
   */
  personalData: z.enum(['READABLE', 'ERASED', 'UNREADABLE']).nullable(),
  leafHash: hashText(),
  /** The chat system an entry came from (integration mode), null for Retract's own messaging and the console. */
  source: z.string().max(32).nullable(),
  /** The service account the entry was recorded through (its actor, or the chat system that reported a person's recall). */
  serviceAccount: z.object({ id: z.uuid(), name: z.string().max(120) }).nullable(),
  /** The person the entry concerns, by name; null when there is none or they were erased. */
  subject: PersonSchema,
  /**
   * The entry's recorded details in the clear (never its sealed personal data nor content), so a
   * list can say what each entry is about. In a list, longer lists are cut to their first
   * MAX_LISTED_DETAIL_ITEMS items and `abridged` gives their full length by key.
   */
  details: z.record(identifierText(), z.unknown()),
  abridged: z.record(identifierText(), z.number().int()),
});
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;

export const AuditListSchema = z.object({ items: pageOf(AuditEntryViewSchema), nextCursor: z.number().int().nullable() });

export const AuditContentSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('READABLE'), value: z.unknown(), viewAuditSeq: z.number().int() }),
  z.object({ state: z.literal('ERASED'), reason: z.string().max(MAX_QUOTED_TEXT_LENGTH), destroyedAt: dateTimeText() }),
  z.object({ state: z.literal('WITHHELD'), detail: serverText() }),
  z.object({ state: z.literal('UNREADABLE') }),
]);

/** How many items of each list in an entry's details a page of the audit trail carries. */
export const MAX_LISTED_DETAIL_ITEMS = 20;
/** How many members of an entry's conversation its detail names. */
export const MAX_NAMED_CONVERSATION_MEMBERS = 10;

export const AuditConversationSchema = z.object({
  id: z.uuid(),
  kind: ConversationKindSchema,
  title: z.string().max(MAX_CONVERSATION_TITLE_LENGTH).nullable(),
  /** Its first members by name (erased people are left out); `memberCount` counts them all. */
  members: z.array(z.object({ id: z.uuid(), displayName: displayNameText() })).max(MAX_NAMED_CONVERSATION_MEMBERS),
  memberCount: z.number().int(),
});
export type AuditConversation = z.infer<typeof AuditConversationSchema>;

export const AuditEntryDetailSchema = AuditEntryViewSchema.extend({
  /** The conversation the entry names, by kind, title and members; null when none or when it is gone. */
  conversation: AuditConversationSchema.nullable(),
  /** Null when withheld: a legal hold's entries to those who may not read legal holds. */
  leaf: z.string().max(MAX_DOCUMENT_LENGTH).nullable(),
  content: AuditContentSchema.nullable(),
  recallReach: z.object({ recipients: z.number().int(), applied: z.number().int(), pending: z.array(z.uuid()).max(MAX_CONVERSATION_MEMBERS) }).nullable(),
});
export type AuditEntryDetail = z.infer<typeof AuditEntryDetailSchema>;

export const SeqParamsSchema = z.strictObject({ seq: seqNumber });

export const CheckpointViewSchema = z.object({
  origin: identifierText(),
  treeSize: z.number().int(),
  rootHash: hashText(),
  note: z.string().max(MAX_DOCUMENT_LENGTH),
  keyName: identifierText(),
  createdAt: dateTimeText(),
});
export type CheckpointView = z.infer<typeof CheckpointViewSchema>;

export const InclusionProofQuerySchema = z.strictObject({ seq: seqNumber, treeSize: seqNumber.optional() });
export const InclusionProofSchema = z.object({
  seq: z.number().int(),
  treeSize: z.number().int(),
  leafHash: hashText(),
  proof: z.array(hashText()).max(MAX_PROOF_HASHES),
  checkpoint: CheckpointViewSchema.nullable(),
});
export const ConsistencyProofQuerySchema = z.strictObject({ from: seqNumber, to: seqNumber });
export const ConsistencyProofSchema = z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(hashText()).max(MAX_PROOF_HASHES) });

export const VerifyRequestSchema = z
  .strictObject({ fromSeq: seqNumber.optional(), toSeq: seqNumber.optional() })
  .refine((range) => range.fromSeq === undefined || range.toSeq === undefined || range.fromSeq <= range.toSeq, {
    message: 'must not exceed toSeq',
    path: ['fromSeq'],
  });
export const VerifyProblemSchema = z.object({ seq: z.number().int().optional(), code: identifierText(), message: z.string().max(MAX_DOCUMENT_LENGTH) });
/** A verification reports at most this many problems (the first ones, in log order); `ok` is false whenever there is one. */
export const MAX_VERIFY_PROBLEMS = 1000;
export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  treeSize: z.number().int(),
  firstBadSeq: z.number().int().optional(),
  problems: z.array(VerifyProblemSchema).max(MAX_VERIFY_PROBLEMS),
  latestCheckpoint: CheckpointViewSchema.nullable(),
});
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

export const ExportQuerySchema = z.strictObject({
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  fromSeq: seqNumber.optional(),
  toSeq: seqNumber.optional(),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

/** One signing key per organisation today (named after its log); room for rotations to come. */
const MAX_SIGNING_KEYS = 100;

export const PublicKeysSchema = z.object({
  origin: identifierText(),
  keys: z
    .array(z.object({ name: identifierText(), vkey: z.string().max(1024), algorithm: z.literal('Ed25519'), publicKey: hashText(), createdAt: dateTimeText() }))
    .max(MAX_SIGNING_KEYS),
});

export const LEGAL_HOLD_SCOPES = ['USER', 'CONVERSATION', 'TENANT'] as const;
const matter = freeText(MAX_QUOTED_TEXT_LENGTH).describe(
  'The legal matter the hold is for (a case reference, not the person’s details): personal data, sealed in the audit entry and shown only to compliance.',
);
export const PlaceLegalHoldRequestSchema = z
  .discriminatedUnion('scope', [
    z
      .strictObject({ scope: z.literal('USER'), subjectUserId: z.uuid().describe('The person whose content the hold keeps (as sender).'), matter })
      .describe('Hold everything one person sent.'),
    z
      .strictObject({ scope: z.literal('CONVERSATION'), conversationId: z.uuid().describe('The conversation whose content the hold keeps.'), matter })
      .describe('Hold one conversation.'),
    z.strictObject({ scope: z.literal('TENANT'), matter }).describe('Hold the whole organisation.'),
  ])
  .describe('A legal hold: while it is active, retention and erasure spare the content it covers.');
export type PlaceLegalHoldRequest = z.infer<typeof PlaceLegalHoldRequestSchema>;
export const LegalHoldViewSchema = z.object({
  id: z.uuid(),
  scope: z.enum(LEGAL_HOLD_SCOPES),
  subjectUserId: z.uuid().nullable(),
  conversationId: z.uuid().nullable(),
  matter: z.string().max(MAX_QUOTED_TEXT_LENGTH),
  placedBy: z.uuid(),
  placedAt: dateTimeText(),
  releasedBy: z.uuid().nullable(),
  releasedAt: dateTimeText().nullable(),
  active: z.boolean(),
});
/** The legal-holds list answers the most recently placed ones, at most this many. */
export const MAX_LEGAL_HOLDS_LISTED = 500;
export const LegalHoldListSchema = z.object({ items: z.array(LegalHoldViewSchema).max(MAX_LEGAL_HOLDS_LISTED) });
export const LegalHoldListQuerySchema = z.strictObject({ active: z.enum(['true', 'false']).optional() });
export const IdParamsSchema = z.strictObject({ id: z.uuid() });

export const ErasureRequestSchema = z.strictObject({ subjectUserId: z.uuid(), reason: freeText(MAX_QUOTED_TEXT_LENGTH) });
export type ErasureRequest = z.infer<typeof ErasureRequestSchema>;
export const ErasureResultSchema = z.object({ subjectUserId: z.uuid(), keysDestroyed: z.number().int(), auditSeq: z.number().int() });
