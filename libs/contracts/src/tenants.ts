import { z } from 'zod';
import { freeText } from './text';
import { TenantSlugSchema } from './auth';
import { LocaleSchema } from './roles';
import { PasswordSchema } from './users';

export const CreateTenantRequestSchema = z.strictObject({
  slug: TenantSlugSchema,
  name: freeText(200),
  locale: LocaleSchema.default('en'),
  adminEmail: z.email().max(254),
  adminName: freeText(120).optional(),
  adminPassword: PasswordSchema.optional(),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

export const CreateTenantResponseSchema = z.object({
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), locale: LocaleSchema }),
  admin: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  generatedPassword: z.string().optional(),
});
