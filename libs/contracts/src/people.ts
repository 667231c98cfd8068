import { z } from 'zod';
import { MAX_CURSOR_LENGTH, MAX_DATE_TIME_LENGTH, cursorText, dateTimeText, displayNameText, emailText, pageOf } from './bounds';
import { RoleSchema } from './roles';
import { storableString } from './text';
import { AuditListSchema } from './audit';

/*
 * The people directory (docs/architecture.md, "Who can do what"): compliance officers and
 * administrators find a person of their organisation by name or email, to place a hold, ask for an
 * erasure or open a case, without the administrator's user management.
 */

export const PeopleQuerySchema = z.strictObject({
  /** Part of a name or an email, case-insensitive; absent lists everyone. */
  q: storableString().max(200).optional(),
  /** One person by id (a picker showing the person a page was opened with). */
  personId: z.uuid().optional(),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});
export type PeopleQuery = z.infer<typeof PeopleQuerySchema>;

export const PersonViewSchema = z.object({
  id: z.uuid(),
  displayName: displayNameText(),
  /** Null when Retract knows no address (a chat system's person the directory has not named, an erased person: isPlaceholderEmail). */
  email: emailText().nullable(),
  roles: z.array(RoleSchema).max(RoleSchema.options.length),
  active: z.boolean(),
  /** Erased under GDPR Art. 17: the name and email are placeholders. */
  erased: z.boolean(),
  /**
   * Active legal holds that name this person or the whole organisation; null for a caller who may
   * not read legal holds (administrators: holds are visible to compliance only).
   */
  activeHolds: z.number().int().min(0).nullable(),
  createdAt: dateTimeText(),
});
export type PersonView = z.infer<typeof PersonViewSchema>;

export const PeopleListSchema = z.object({ items: pageOf(PersonViewSchema), nextCursor: cursorText().nullable() });
export type PeopleList = z.infer<typeof PeopleListSchema>;

export const PersonIdParamsSchema = z.strictObject({ id: z.uuid() });

/*
 * Case view (docs/audit-log.md, "Cases"): everything the log holds about one person (as actor or
 * subject) or one conversation over a period. Both narrow together (the person in the conversation);
 * neither gives the whole log of the period.
 */
const isoDate = z.iso.datetime({ offset: true }).max(MAX_DATE_TIME_LENGTH);

const caseScope = {
  personId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
};
export const CaseQuerySchema = z.strictObject({
  ...caseScope,
  cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CaseQuery = z.infer<typeof CaseQuerySchema>;

export const CaseExportQuerySchema = z.strictObject(caseScope);
export type CaseExportQuery = z.infer<typeof CaseExportQuerySchema>;

export const CaseTimelineSchema = AuditListSchema;

/** A case bundle holds at most this many entries; a longer case is exported over shorter periods. */
export const MAX_CASE_ENTRIES = 10_000;
