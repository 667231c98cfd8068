import { z } from 'zod';
import { freeText } from './text';
import { MAX_TENANT_NAME_LENGTH, TenantSlugSchema } from './auth';
import { displayNameText, emailText, MAX_DISPLAY_NAME_LENGTH, MAX_EMAIL_LENGTH } from './bounds';
import { LocaleSchema } from './roles';
import { PasswordSchema } from './users';

/**
 * An organisation starts with an administrator and a compliance officer, two different people:
 * COMPLIANCE granted later is approved by a compliance officer, so the first one is named here.
 */
export const CreateTenantRequestSchema = z
  .strictObject({
    slug: TenantSlugSchema,
    name: freeText(MAX_TENANT_NAME_LENGTH),
    locale: LocaleSchema.default('en'),
    adminEmail: z.email().max(MAX_EMAIL_LENGTH),
    adminName: freeText(MAX_DISPLAY_NAME_LENGTH).optional(),
    adminPassword: PasswordSchema.optional(),
    complianceEmail: z.email().max(MAX_EMAIL_LENGTH),
    complianceName: freeText(MAX_DISPLAY_NAME_LENGTH).optional(),
    compliancePassword: PasswordSchema.optional(),
  })
  .refine((v) => v.adminEmail.toLowerCase() !== v.complianceEmail.toLowerCase(), {
    message: 'the compliance officer must be another person than the administrator',
    path: ['complianceEmail'],
  });
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

const PersonSchema = z.object({ id: z.uuid(), email: emailText(), displayName: displayNameText() });
/** 18 random bytes in base64url. */
const GeneratedPasswordSchema = z.string().max(64);

export const CreateTenantResponseSchema = z.object({
  tenant: z.object({ id: z.uuid(), slug: TenantSlugSchema, name: z.string().max(MAX_TENANT_NAME_LENGTH), locale: LocaleSchema }),
  admin: PersonSchema,
  generatedPassword: GeneratedPasswordSchema.optional(),
  compliance: PersonSchema.optional(),
  /** Set only when no compliance password was given: shown once, never stored in clear. */
  complianceGeneratedPassword: GeneratedPasswordSchema.optional(),
});
