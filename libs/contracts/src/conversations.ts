import { z } from 'zod';
import { cursorText, dateTimeText, displayNameText, MAX_CURSOR_LENGTH, pageOf } from './bounds';
import { freeText } from './text';
import { ConversationKindSchema, PolicyRuleNameSchema } from './policy';

/*
 * Conversations (DESIGN §6): GET/POST /api/v1/conversations. A conversation is DIRECT
 * (exactly two people) or GROUP (a title and two or more people). Only members see it.
 */

export const ConversationIdParamsSchema = z.strictObject({ id: z.uuid({ error: 'must be a conversation id (UUID)' }) });
export type ConversationIdParams = z.infer<typeof ConversationIdParamsSchema>;

/** Members in a conversation besides its creator; the creator is always a member. */
export const MAX_CONVERSATION_MEMBERS = 500;
export const MAX_CONVERSATION_TITLE_LENGTH = 200;

export const CreateConversationRequestSchema = z
  .strictObject({
    kind: ConversationKindSchema,
    /** Required for GROUP, not allowed for DIRECT (a direct conversation is named after the other person). */
    title: freeText(MAX_CONVERSATION_TITLE_LENGTH).optional(),
    /** The other members (the caller is added). DIRECT: exactly one id. GROUP: at least one. */
    memberIds: z
      .array(z.uuid({ error: 'must be a user id (UUID)' }), { error: 'must be a list of user ids' })
      .min(1, { error: 'must name at least one other member' })
      .max(MAX_CONVERSATION_MEMBERS - 1, { error: `must name at most ${MAX_CONVERSATION_MEMBERS - 1} other members` }),
  })
  .superRefine((value, ctx) => {
    if (value.kind === 'GROUP' && value.title === undefined) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required for a GROUP conversation' });
    }
    if (value.kind === 'DIRECT' && value.title !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'is not allowed for a DIRECT conversation' });
    }
    if (value.kind === 'DIRECT' && value.memberIds.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['memberIds'], message: 'a DIRECT conversation has exactly one other member' });
    }
    const seen = new Set<string>();
    value.memberIds.forEach((id, index) => {
      if (seen.has(id.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['memberIds', index], message: 'is listed twice' });
      seen.add(id.toLowerCase());
    });
  });
export type CreateConversationRequest = z.infer<typeof CreateConversationRequestSchema>;

export const ConversationMemberViewSchema = z.object({
  id: z.uuid(),
  displayName: displayNameText(),
});
export type ConversationMemberView = z.infer<typeof ConversationMemberViewSchema>;

export const ConversationViewSchema = z.object({
  id: z.uuid(),
  kind: ConversationKindSchema,
  /** GROUP: its title. DIRECT: null (show the other member's name). */
  title: z.string().max(MAX_CONVERSATION_TITLE_LENGTH).nullable(),
  createdBy: z.uuid(),
  createdAt: dateTimeText(),
  members: z.array(ConversationMemberViewSchema).max(MAX_CONVERSATION_MEMBERS),
  /** Server time of the newest message, if any. */
  lastMessageAt: dateTimeText().nullable(),
  /** The policy rule in force here (most specific override that applies), e.g. `CONVERSATION_KIND:GROUP`. */
  policyRule: PolicyRuleNameSchema,
  /** The recall window in force here (seconds; 0 = recall is off in this conversation). */
  recallWindowSeconds: z.number().int().min(0),
});
export type ConversationView = z.infer<typeof ConversationViewSchema>;

export const ConversationListQuerySchema = z.strictObject({
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;

export const ConversationListSchema = z.object({
  items: pageOf(ConversationViewSchema),
  nextCursor: cursorText().nullable(),
});
export type ConversationList = z.infer<typeof ConversationListSchema>;
