import { z } from 'zod';
import { freeText, storableString } from './text';
import { MAX_CURSOR_LENGTH, MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH, cursorText, pageOf } from './bounds';
import { UserViewSchema as UserViewSchemaRef } from './auth';
import { LocaleSchema, RoleSchema } from './roles';

export const PasswordSchema = storableString().min(12, 'at least 12 characters').max(1024);

export const CreateUserRequestSchema = z.strictObject({
  email: z.email().max(MAX_EMAIL_LENGTH),
  displayName: freeText(MAX_DISPLAY_NAME_LENGTH),
  roles: z.array(RoleSchema).min(1).max(3),
  locale: LocaleSchema.optional(),
  /** Known to the administrator who sets it, so the user must choose their own at the first sign-in. */
  password: PasswordSchema,
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const UpdateUserRequestSchema = z
  .strictObject({
    displayName: freeText(MAX_DISPLAY_NAME_LENGTH).optional(),
    roles: z.array(RoleSchema).min(1).max(3).optional(),
    locale: LocaleSchema.optional(),
    active: z.boolean().optional(),
    /** An administrator's reset: the user's sessions end and they log in with this password. */
    password: PasswordSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field is required' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UserListQuerySchema = z.strictObject({
  q: storableString().max(200).optional(),
  cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserIdParamsSchema = z.strictObject({ id: z.uuid() });

/** A user as administrators manage them: with the roles still waiting for a compliance officer's approval. */
export const ManagedUserViewSchema = UserViewSchemaRef.extend({
  /** Roles asked for but not yet held (COMPLIANCE until a second person approves it; docs/architecture.md, "Who can do what"). */
  pendingRoles: z.array(RoleSchema).max(RoleSchema.options.length),
});
export type ManagedUserView = z.infer<typeof ManagedUserViewSchema>;

export const UserListSchema = z.object({
  items: pageOf(ManagedUserViewSchema),
  nextCursor: cursorText().nullable(),
});

export const ChangePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: PasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;
