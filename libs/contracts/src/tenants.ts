import { z } from 'zod';
import { freeText } from './text';
import { TenantSlugSchema } from './auth';
import { LocaleSchema } from './roles';
import { PasswordSchema } from './users';

/**
 * An organisation starts with an administrator and a compliance officer, two different people:
 * COMPLIANCE granted later is approved by a compliance officer, so the first one is named here.
 */
export const CreateTenantRequestSchema = z
  .strictObject({
    slug: TenantSlugSchema,
    name: freeText(200),
    locale: LocaleSchema.default('en'),
    adminEmail: z.email().max(254),
    adminName: freeText(120).optional(),
    adminPassword: PasswordSchema.optional(),
    complianceEmail: z.email().max(254),
    complianceName: freeText(120).optional(),
    compliancePassword: PasswordSchema.optional(),
  })
  .refine((v) => v.adminEmail.toLowerCase() !== v.complianceEmail.toLowerCase(), {
    message: 'the compliance officer must be another person than the administrator',
    path: ['complianceEmail'],
  });
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

export const CreateTenantResponseSchema = z.object({
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), locale: LocaleSchema }),
  admin: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  generatedPassword: z.string().optional(),
  compliance: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }).optional(),
  /** Set only when no compliance password was given: shown once, never stored in clear. */
  complianceGeneratedPassword: z.string().optional(),
});
