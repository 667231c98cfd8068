import { z } from 'zod';
import { dateTimeText, displayNameText, emailText } from './bounds';
import { LocaleSchema, RoleSchema } from './roles';

const slug = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens');

export const TenantSlugSchema = slug;

/** An organisation's name, as provisioning accepts it. */
export const MAX_TENANT_NAME_LENGTH = 200;
/** A signed JWT with a handful of claims is well under 1 KiB. */
const MAX_ACCESS_TOKEN_LENGTH = 4096;

/**
 * How the session is handed over: `token` (the default: integrations, scripts) returns the access
 * token in the body and sets no cookie; `cookie` (the console in a browser) sets the httpOnly
 * session cookie and leaves the token out of the body, so no script on the page ever holds it.
 */
export const SessionDeliverySchema = z.enum(['token', 'cookie']);
export type SessionDelivery = z.infer<typeof SessionDeliverySchema>;

export const LoginRequestSchema = z.strictObject({
  tenant: slug,
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
  session: SessionDeliverySchema.default('token'),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const UserViewSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  email: emailText(),
  displayName: displayNameText(),
  roles: z.array(RoleSchema).max(RoleSchema.options.length),
  locale: LocaleSchema,
  active: z.boolean(),
  /** After an administrator's password reset: only `PUT /me/password` (and `/me`, logout) is allowed until it is changed. */
  mustChangePassword: z.boolean(),
  createdAt: dateTimeText(),
});
export type UserView = z.infer<typeof UserViewSchema>;

export const MeViewSchema = UserViewSchema.extend({
  tenant: z.object({ id: z.uuid(), slug: TenantSlugSchema, name: z.string().max(MAX_TENANT_NAME_LENGTH), locale: LocaleSchema }),
});
export type MeView = z.infer<typeof MeViewSchema>;

/** A person's own settings: their language, which the console, recall notices and problem details follow. */
export const UpdateMeRequestSchema = z.strictObject({ locale: LocaleSchema });
export type UpdateMeRequest = z.infer<typeof UpdateMeRequestSchema>;

export const LoginResponseSchema = z.object({
  /** Only for `session: "token"`. */
  accessToken: z.string().max(MAX_ACCESS_TOKEN_LENGTH).optional(),
  expiresAt: dateTimeText(),
  user: MeViewSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
