import { z } from 'zod';
import { LocaleSchema, RoleSchema } from './roles';

const slug = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens');

export const TenantSlugSchema = slug;

export const LoginRequestSchema = z.strictObject({
  tenant: slug,
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const UserViewSchema = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(RoleSchema),
  locale: LocaleSchema,
  active: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserViewSchema>;

export const MeViewSchema = UserViewSchema.extend({
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), locale: LocaleSchema }),
});
export type MeView = z.infer<typeof MeViewSchema>;

export const LoginResponseSchema = z.object({
  accessToken: z.string(),
  expiresAt: z.string(),
  user: MeViewSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;
