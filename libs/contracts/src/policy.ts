import { z } from 'zod';
import { MESSAGE_TYPES, PAYMENT_TYPES, POLICY_FIELDS, RECALLABLE_TYPES, type PaymentType } from './policy-fields';
import { cursorText, dateTimeText, displayNameText, pageOf } from './bounds';
import { freeText } from './text';

export * from './policy-fields';

/*
 * Recall policy contract (DESIGN §2, §3): message types, denial codes, the policy
 * settings with their ranges and defaults, per-conversation overrides, and the HTTP
 * request/response shapes of /api/v1/policy. The decision itself lives in
 * @retract/recall-policy; this file only describes data.
 */

// ---------------------------------------------------------------------------
// Message types

export const MessageTypeSchema = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof MessageTypeSchema>;

export const isPaymentType = (type: string): type is PaymentType => (PAYMENT_TYPES as readonly string[]).includes(type);

export const RecallableTypeSchema = z.enum(RECALLABLE_TYPES, {
  error: (issue) =>
    typeof issue.input === 'string' && isPaymentType(issue.input)
      ? `${issue.input} is a payment type and can never be recalled`
      : `must be one of ${RECALLABLE_TYPES.join(', ')}`,
});

export const CONVERSATION_KINDS = ['DIRECT', 'GROUP'] as const;
export const ConversationKindSchema = z.enum(CONVERSATION_KINDS);
export type ConversationKind = z.infer<typeof ConversationKindSchema>;

// ---------------------------------------------------------------------------
// Denial codes (stable strings; also members of PROBLEM_CODES)

export const DENIAL_CODES = [
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
export const DenialCodeSchema = z.enum(DENIAL_CODES);
export type DenialCode = z.infer<typeof DenialCodeSchema>;

/**
 * Denials that no policy setting can produce or lift. A policy simulation leaves attempts
 * refused with these codes as they were.
 */
export const POLICY_INDEPENDENT_DENIAL_CODES = ['ALREADY_RECALLED', 'NOT_SENDER'] as const satisfies readonly DenialCode[];

// ---------------------------------------------------------------------------
// Field schemas (no defaults here: overrides reuse them and must not fill anything in)

const integer = (min: number, max: number, maxLabel?: string) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}${maxLabel ? ` (${maxLabel})` : ''}` });

const windowSecondsField = integer(0, 86_400, '24 hours');
const graceSecondsField = integer(0, 30, '30 seconds');
const editAfterRecallField = z.boolean({ error: 'must be true or false' });
const reEditWindowSecondsField = integer(0, 86_400, '24 hours');
const recallableTypesField = z
  .array(RecallableTypeSchema, { error: 'must be a list of message types' })
  .max(RECALLABLE_TYPES.length, { error: `must list at most ${RECALLABLE_TYPES.length} types` })
  .superRefine((types, ctx) => {
    const seen = new Set<string>();
    types.forEach((type, index) => {
      if (seen.has(type)) ctx.addIssue({ code: 'custom', path: [index], message: `must not list ${type} twice` });
      seen.add(type);
    });
  });
const enabledField = z.boolean({ error: 'must be true or false' });
const maxBatchField = integer(1, 100);
export const REQUIRE_REASON_MODES = ['NEVER', 'ALWAYS', 'AFTER_SECONDS'] as const;
export const RequireReasonSchema = z.enum(REQUIRE_REASON_MODES, {
  error: `must be one of ${REQUIRE_REASON_MODES.join(', ')}`,
});
export type RequireReason = z.infer<typeof RequireReasonSchema>;
const reasonAfterSecondsField = integer(0, 86_400, '24 hours');
const maxRecallsPerHourField = integer(0, 10_000);
const auditRetentionDaysField = integer(1, 3650, '10 years');

/**
 * `reasonAfterSeconds` belongs to `requireReason`: it is required exactly when
 * `requireReason` is `AFTER_SECONDS`. In an override the two travel together, so an
 * override may not set `reasonAfterSeconds` without also setting `requireReason`.
 */
const checkReasonPair = (value: { requireReason?: RequireReason; reasonAfterSeconds?: number }, ctx: z.RefinementCtx) => {
  const { requireReason, reasonAfterSeconds } = value;
  if (requireReason === 'AFTER_SECONDS' && reasonAfterSeconds === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['reasonAfterSeconds'],
      message: 'is required when requireReason is AFTER_SECONDS',
    });
  }
  if (requireReason !== 'AFTER_SECONDS' && reasonAfterSeconds !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['reasonAfterSeconds'],
      message:
        requireReason === undefined
          ? 'may only be set together with requireReason: AFTER_SECONDS'
          : `is only allowed when requireReason is AFTER_SECONDS (here it is ${requireReason})`,
    });
  }
};

// ---------------------------------------------------------------------------
// Settings

export const BatchRecallSettingsSchema = z.strictObject({
  enabled: enabledField.default(true),
  maxBatch: maxBatchField.default(20),
});
export type BatchRecallSettings = z.infer<typeof BatchRecallSettingsSchema>;

export const PolicySettingsSchema = z
  .strictObject({
    /** 0..86400; 0 turns recall off. */
    windowSeconds: windowSecondsField.default(120),
    /** Extra tolerance for requests that were in flight when the window closed. */
    graceSeconds: graceSecondsField.default(5),
    editAfterRecall: editAfterRecallField.default(true),
    reEditWindowSeconds: reEditWindowSecondsField.default(300),
    recallableTypes: recallableTypesField.default(() => [...RECALLABLE_TYPES]),
    batchRecall: BatchRecallSettingsSchema.default(() => ({ enabled: true, maxBatch: 20 })),
    requireReason: RequireReasonSchema.default('NEVER'),
    /** Present exactly when requireReason is AFTER_SECONDS: message age (s) past which a reason is needed. */
    reasonAfterSeconds: reasonAfterSecondsField.optional(),
    /** Per user; 0 = unlimited. */
    maxRecallsPerHour: maxRecallsPerHourField.default(0),
    auditRetentionDays: auditRetentionDaysField.default(2555),
  })
  .superRefine(checkReasonPair);
export type PolicySettings = z.infer<typeof PolicySettingsSchema>;
export type PolicySettingsInput = z.input<typeof PolicySettingsSchema>;

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

/** The defaults of DESIGN §3 (deeply frozen: copy before changing). */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = deepFreeze(PolicySettingsSchema.parse({}));

// ---------------------------------------------------------------------------
// Overrides

/** Any field may be overridden; `batchRecall` may be overridden one sub-field at a time. */
export const PolicySettingsOverrideSchema = z
  .strictObject({
    windowSeconds: windowSecondsField.optional(),
    graceSeconds: graceSecondsField.optional(),
    editAfterRecall: editAfterRecallField.optional(),
    reEditWindowSeconds: reEditWindowSecondsField.optional(),
    recallableTypes: recallableTypesField.optional(),
    batchRecall: z.strictObject({ enabled: enabledField.optional(), maxBatch: maxBatchField.optional() }).optional(),
    requireReason: RequireReasonSchema.optional(),
    reasonAfterSeconds: reasonAfterSecondsField.optional(),
    maxRecallsPerHour: maxRecallsPerHourField.optional(),
    auditRetentionDays: auditRetentionDaysField.optional(),
  })
  .superRefine(checkReasonPair)
  .refine((value) => Object.entries(value).some(([key, field]) => (key === 'batchRecall' ? Object.keys(field as object).length > 0 : field !== undefined)), {
    message: 'an override must set at least one field',
  });
export type PolicySettingsOverride = z.infer<typeof PolicySettingsOverrideSchema>;

export const PolicyOverrideTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('CONVERSATION_KIND'), conversationKind: ConversationKindSchema }),
  z.strictObject({
    kind: z.literal('CONVERSATION'),
    conversationId: z.uuid({ error: 'must be a conversation id (UUID)' }),
    /** Display name for the console ("Legal"); never used to match. */
    label: freeText(120).optional(),
  }),
]);
export type PolicyOverrideTarget = z.infer<typeof PolicyOverrideTargetSchema>;

export const PolicyOverrideSchema = z.strictObject({
  target: PolicyOverrideTargetSchema,
  settings: PolicySettingsOverrideSchema,
});
export type PolicyOverride = z.infer<typeof PolicyOverrideSchema>;

/**
 * The name of a policy rule: where a setting came from. The same string identifies an
 * override target (two overrides with the same rule name may not coexist).
 */
export const PolicyRuleNameSchema = z.union([
  z.literal('TENANT_DEFAULT'),
  // The patterns admit these lengths only; OpenAPI readers are told so as maxLength.
  z
    .templateLiteral(['CONVERSATION_KIND:', ConversationKindSchema])
    .meta({ maxLength: 'CONVERSATION_KIND:'.length + Math.max(...CONVERSATION_KINDS.map((k) => k.length)) }),
  z.templateLiteral(['CONVERSATION:', z.uuid()]).meta({ maxLength: 'CONVERSATION:'.length + 36 }),
]);
/** `'TENANT_DEFAULT' | 'CONVERSATION_KIND:GROUP' | 'CONVERSATION_KIND:DIRECT' | `CONVERSATION:${uuid}`` */
export type PolicyRuleName = z.infer<typeof PolicyRuleNameSchema>;

export const policyRuleName = (target: PolicyOverrideTarget): PolicyRuleName =>
  target.kind === 'CONVERSATION_KIND' ? `CONVERSATION_KIND:${target.conversationKind}` : `CONVERSATION:${target.conversationId.toLowerCase()}`;

/**
 * Decisions that no policy makes: sender-only, recall-once, payment types, and the
 * forced recall of DESIGN §2 (which bypasses the policy but always needs a reason).
 */
export const BUILT_IN_RULES = ['BUILT_IN:SENDER_ONLY', 'BUILT_IN:RECALL_ONCE', 'BUILT_IN:PAYMENT_TYPES', 'BUILT_IN:FORCED_RECALL'] as const;
export type BuiltInRule = (typeof BUILT_IN_RULES)[number];

/** What an audit record and a recall response carry as "the rule that decided". */
export type DecisionRule = PolicyRuleName | BuiltInRule;
export const DecisionRuleSchema = z.union([z.enum(BUILT_IN_RULES), PolicyRuleNameSchema]);

// ---------------------------------------------------------------------------
// Document (what one policy version holds)

export const MAX_POLICY_OVERRIDES = 200;

const overridesField = z
  .array(PolicyOverrideSchema)
  .max(MAX_POLICY_OVERRIDES, { error: `must have at most ${MAX_POLICY_OVERRIDES} overrides` })
  .superRefine((overrides, ctx) => {
    const seen = new Map<string, number>();
    overrides.forEach((override, index) => {
      const key = policyRuleName(override.target);
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'target'],
          message: `duplicates the target of override ${first} (${key})`,
        });
      } else {
        seen.set(key, index);
      }
    });
  });

export const PolicyDocumentSchema = z.strictObject({
  settings: PolicySettingsSchema,
  overrides: overridesField.default(() => []),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

/** The policy a new tenant starts with (version 1). Deeply frozen. */
export const DEFAULT_POLICY_DOCUMENT: PolicyDocument = deepFreeze({ settings: DEFAULT_POLICY_SETTINGS, overrides: [] });

// ---------------------------------------------------------------------------
// HTTP: PUT /api/v1/policy, GET /api/v1/policy, GET /api/v1/policy/versions

/**
 * PUT /api/v1/policy. `settings` is the complete tenant default (omitted fields take
 * their defaults). `overrides` omitted keeps the current overrides unchanged; `[]`
 * removes them all — so a client that only edits settings cannot wipe overrides by
 * accident. A stale `expectedVersion` answers 409 VERSION_CONFLICT.
 */
/**
 * A change to the current policy: `settings` lists only the fields to change (the others keep
 * their current value), `overrides` replaces the overrides when given and keeps them otherwise.
 */
export const UpdatePolicyRequestSchema = z
  .strictObject({
    expectedVersion: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .describe(
        'The version this change was made from (`version` of GET /api/v1/policy). When the policy has changed since, nothing is saved: 409 VERSION_CONFLICT with `currentVersion`.',
      ),
    settings: PolicySettingsOverrideSchema.optional().describe(
      'Only the fields to change; the others keep their current value. `auditRetentionDays` is refused (403): PUT /api/v1/policy/retention.',
    ),
    overrides: overridesField.optional().describe('Replaces every override when given (`[]` removes them all); omitted keeps the current ones.'),
  })
  .describe('A change to the current policy, saved as a new version (optimistic concurrency on `expectedVersion`).');
export type UpdatePolicyRequest = z.infer<typeof UpdatePolicyRequestSchema>;

/**
 * One change between two policy versions. `path` names the field: `windowSeconds`,
 * `batchRecall.maxBatch`, `overrides[CONVERSATION:<id>].windowSeconds`; a whole
 * override that was added or removed has the path `overrides[<rule>]`. `null` means
 * "not set" (an absent optional field, a missing override).
 */
/** `overrides[CONVERSATION:<uuid>].batchRecall.maxBatch`, the longest path a diff names, is 69 characters. */
const MAX_DIFF_PATH_LENGTH = 128;
/** A diff names each setting once and each override's settings once, plus the overrides added or removed whole. */
const MAX_DIFF_ENTRIES = POLICY_FIELDS.length * (1 + 2 * MAX_POLICY_OVERRIDES) + 2 * MAX_POLICY_OVERRIDES;

export const PolicyDiffEntrySchema = z.object({
  path: z.string().max(MAX_DIFF_PATH_LENGTH),
  from: z.unknown(),
  to: z.unknown(),
});
export type PolicyDiffEntry = z.infer<typeof PolicyDiffEntrySchema>;

export const PolicyVersionViewSchema = z.object({
  version: z.number().int().min(1),
  settings: PolicySettingsSchema,
  overrides: z.array(PolicyOverrideSchema).max(MAX_POLICY_OVERRIDES),
  createdAt: dateTimeText(),
  /** null for the version the system created with the tenant. */
  createdBy: z.object({ id: z.uuid(), displayName: displayNameText() }).nullable(),
  /** Changes from the previous version (for version 1: every field, from null). */
  diff: z.array(PolicyDiffEntrySchema).max(MAX_DIFF_ENTRIES),
});
export type PolicyVersionView = z.infer<typeof PolicyVersionViewSchema>;

export const PolicyVersionListSchema = z.object({
  items: pageOf(PolicyVersionViewSchema),
  nextCursor: cursorText().nullable(),
});
export type PolicyVersionList = z.infer<typeof PolicyVersionListSchema>;

// ---------------------------------------------------------------------------
// HTTP: POST /api/v1/policy/simulate

/** `overrides` omitted = simulate with the current overrides (same rule as the update). */
export const SimulatePolicyRequestSchema = z.strictObject({
  settings: PolicySettingsSchema,
  overrides: overridesField.optional(),
  days: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(90, { error: 'must be at most 90 (days)' })
    .default(30),
});
export type SimulatePolicyRequest = z.infer<typeof SimulatePolicyRequestSchema>;

const count = z.number().int().min(0);
/** Only codes with a non-zero count are present. */
const countsByCode = z.partialRecord(DenialCodeSchema, count);

export const SimulationResultSchema = z.object({
  days: z.number().int().min(1),
  /** attempts = unchanged + newlyDenied.total + newlyAllowed.total */
  attempts: count,
  /** Same outcome (allowed stays allowed, denied stays denied) under the proposed policy. */
  unchanged: count,
  /** Allowed then, denied now — by the code they would now get. */
  newlyDenied: z.object({ total: count, byCode: countsByCode }),
  /** Denied then, allowed now — by the code they got then. */
  newlyAllowed: z.object({ total: count, byCode: countsByCode }),
});
export type SimulationResult = z.infer<typeof SimulationResultSchema>;

/** Audit retention, owned by compliance (docs/architecture.md, "Who can do what"). */
export const RetentionChangeRequestSchema = z
  .strictObject({
    days: auditRetentionDaysField.describe(
      'Days recalled content is kept before it is crypto-shredded. Longer than now applies at once; shorter waits out the delay (a compliance officer may cancel it) and never goes below the floor.',
    ),
  })
  .describe('A new audit retention (compliance only; docs/architecture.md, "Who can do what").');
export type RetentionChangeRequest = z.infer<typeof RetentionChangeRequestSchema>;
export const PendingRetentionChangeSchema = z.object({
  id: z.uuid(),
  fromDays: z.number().int(),
  toDays: z.number().int(),
  proposedBy: z.uuid(),
  proposedAt: dateTimeText(),
  effectiveAt: dateTimeText(),
});
export const RetentionViewSchema = z.object({
  /** Days the shredding job applies now. */
  days: z.number().int(),
  floorDays: z.number().int(),
  shorteningDelayDays: z.number().int(),
  /** A shortening waiting out its delay, cancellable by a compliance officer until effectiveAt. */
  pending: PendingRetentionChangeSchema.nullable(),
});
export type RetentionView = z.infer<typeof RetentionViewSchema>;
