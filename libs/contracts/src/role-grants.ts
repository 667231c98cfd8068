import { z } from 'zod';
import { RoleSchema } from './roles';
import { dateTimeText, displayNameText, emailText } from './bounds';

export const RoleGrantStateSchema = z.enum(['PENDING', 'APPROVED', 'REFUSED', 'REVOKED']);

const PersonRefSchema = z.object({ id: z.uuid(), email: emailText(), displayName: displayNameText() });

/** A grant of COMPLIANCE that an administrator asked for and a second compliance officer decides. */
export const RoleGrantViewSchema = z.object({
  id: z.uuid(),
  role: RoleSchema,
  state: RoleGrantStateSchema,
  user: PersonRefSchema,
  requestedBy: PersonRefSchema,
  requestedAt: dateTimeText(),
  /**
   * The grantee still signs in with a password an administrator set (at creation or a reset): approval is
   * refused (409) until they have chosen their own, so the account approved is not the administrator's.
   */
  granteeMustChangePassword: z.boolean(),
});
export type RoleGrantView = z.infer<typeof RoleGrantViewSchema>;

export const RoleGrantListSchema = z.object({ items: z.array(RoleGrantViewSchema).max(1000) });
export type RoleGrantList = z.infer<typeof RoleGrantListSchema>;

export const RoleGrantIdParamsSchema = z.strictObject({ id: z.uuid() });
