import { z } from 'zod';
import { dateTimeText, identifierText, serverText } from './bounds';
import { RoleSchema } from './roles';
import { httpUrl, storableString } from './text';
import { TenantSlugSchema } from './auth';

/*
 * Enterprise sign-in (docs/identity.md): an organisation's OpenID Connect provider, the email
 * domains whose people it may sign in, and the provider groups that grant roles.
 */

export const MAX_ALLOWED_DOMAINS = 50;
export const MAX_GROUP_ROLE_MAPPINGS = 100;
export const MAX_GROUP_NAME_LENGTH = 255;
const MAX_CLIENT_ID_LENGTH = 255;
export const MAX_PROVIDER_NAME_LENGTH = 80;
const MAX_CLIENT_SECRET_LENGTH = 1024;

/** A DNS name in lower case: `example.com`, `eu.example.co.uk`. */
export const EmailDomainSchema = z
  .string()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'must be a lower-case domain name such as example.com' });

export const GroupRoleMappingSchema = z.strictObject({
  group: storableString().min(1, { error: 'must not be empty' }).max(MAX_GROUP_NAME_LENGTH),
  role: RoleSchema,
});
export type GroupRoleMapping = z.infer<typeof GroupRoleMappingSchema>;

const uniqueBy =
  <T>(key: (item: T) => string) =>
  (items: T[]) =>
    new Set(items.map(key)).size === items.length;

export const SsoSettingsRequestSchema = z.strictObject({
  /** The provider's issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: httpUrl,
  /** What the login page's button names ("Continue with Okta"); without it, the issuer's host. */
  providerName: storableString().min(1).max(MAX_PROVIDER_NAME_LENGTH).optional(),
  clientId: storableString().min(1).max(MAX_CLIENT_ID_LENGTH),
  /** Write-only: sealed under the organisation's KEK. Left out, the stored secret is kept (an update of the other fields). */
  clientSecret: storableString().min(1).max(MAX_CLIENT_SECRET_LENGTH).optional(),
  allowedDomains: z
    .array(EmailDomainSchema)
    .min(1, { error: 'must name at least one domain' })
    .max(MAX_ALLOWED_DOMAINS)
    .refine(
      uniqueBy<string>((d) => d),
      { error: 'must not name a domain twice' },
    ),
  /** Whether people who are not administrators may still sign in with a password. */
  passwordLogin: z.boolean(),
  /** Off: nobody signs in through the provider (the settings are kept). */
  enabled: z.boolean().default(true),
  groupRoles: z
    .array(GroupRoleMappingSchema)
    .max(MAX_GROUP_ROLE_MAPPINGS)
    .refine(
      uniqueBy<GroupRoleMapping>((m) => `${m.group}\u0000${m.role}`),
      { error: 'must not map a group to a role twice' },
    )
    .default([]),
});
export type SsoSettingsRequest = z.infer<typeof SsoSettingsRequestSchema>;

export const SsoSettingsViewSchema = z.object({
  issuer: z.string().max(2048),
  providerName: z.string().max(MAX_PROVIDER_NAME_LENGTH).nullable(),
  clientId: z.string().max(MAX_CLIENT_ID_LENGTH),
  /** Whether a secret is stored; the secret itself is never answered. */
  clientSecretSet: z.boolean(),
  allowedDomains: z.array(z.string().max(253)).max(MAX_ALLOWED_DOMAINS),
  passwordLogin: z.boolean(),
  enabled: z.boolean(),
  groupRoles: z.array(z.object({ group: z.string().max(MAX_GROUP_NAME_LENGTH), role: RoleSchema })).max(MAX_GROUP_ROLE_MAPPINGS),
  redirectUri: z.string().max(2048),
  updatedAt: dateTimeText(),
});
export type SsoSettingsView = z.infer<typeof SsoSettingsViewSchema>;

export const SsoTestRequestSchema = z.strictObject({ issuer: httpUrl.optional() });
export type SsoTestRequest = z.infer<typeof SsoTestRequestSchema>;

export const SsoTestResultSchema = z.object({
  ok: z.boolean(),
  issuer: z.string().max(2048),
  authorizationEndpoint: z.string().max(2048).nullable(),
  tokenEndpoint: z.string().max(2048).nullable(),
  jwksUri: z.string().max(2048).nullable(),
  endSessionEndpoint: z.string().max(2048).nullable(),
  /** Whether the provider lists PKCE with S256 (which sign-in uses); false and `ok` when it lists no methods at all. */
  pkceS256: z.boolean(),
  problem: serverText().nullable(),
});
export type SsoTestResult = z.infer<typeof SsoTestResultSchema>;

export const SsoStartParamsSchema = z.strictObject({ tenant: TenantSlugSchema });

export const SsoCallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: identifierText().optional(),
  error_description: z.string().max(2048).optional(),
  iss: z.string().max(2048).optional(),
  session_state: z.string().max(512).optional(),
});

/** What the login page needs to know about an organisation before anyone signs in. */
export const SignInOptionsSchema = z.object({
  sso: z.boolean(),
  passwordLogin: z.boolean(),
  /** The name on the login page's button: the one the administrator set, else the issuer's host; null without SSO. */
  providerName: z.string().max(2048).nullable(),
});
export type SignInOptions = z.infer<typeof SignInOptionsSchema>;

/** Why a sign-in through the provider did not complete; the console shows it on the login page. */
export const SSO_ERRORS = [
  'SSO_NOT_CONFIGURED',
  'SSO_FLOW_EXPIRED',
  'SSO_PROVIDER_REFUSED',
  'SSO_TOKEN_INVALID',
  'SSO_EMAIL_NOT_VERIFIED',
  'SSO_DOMAIN_NOT_ALLOWED',
  'SSO_ACCOUNT_DISABLED',
  'SSO_PROVIDER_UNREACHABLE',
] as const;
export type SsoError = (typeof SSO_ERRORS)[number];
