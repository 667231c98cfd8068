import { z } from 'zod';

/** URNs of RFC 7643 and RFC 7644 this service speaks. */
export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** What Retract keeps of a name: the users table's bound. */
export const MAX_DISPLAY_NAME_LENGTH = 120;
export const MAX_USER_NAME_LENGTH = 320;
export const MAX_EXTERNAL_ID_LENGTH = 255;
export const MAX_EMAIL_LENGTH = 254;
/** Operations in one PATCH and members named in one request (ServiceProviderConfig `bulk.maxOperations` is 0: no bulk). */
export const MAX_PATCH_OPERATIONS = 100;
export const MAX_MEMBERS_PER_REQUEST = 1000;

const text = (max: number) => z.string().min(1).max(max);
const schemasList = z.array(z.string().max(200)).max(10);

const EmailSchema = z.looseObject({
  value: z.string().max(MAX_EMAIL_LENGTH),
  type: z.string().max(50).nullish(),
  primary: z.union([z.boolean(), z.string().max(5)]).nullish(),
});
const NameSchema = z.looseObject({
  formatted: z.string().max(500).nullish(),
  givenName: z.string().max(250).nullish(),
  familyName: z.string().max(250).nullish(),
});
const MemberSchema = z.looseObject({ value: text(MAX_EXTERNAL_ID_LENGTH), display: z.string().max(500).nullish() });

/**
 * A User as Okta and Entra ID POST and PUT it: attributes Retract does not keep (phone numbers,
 * addresses, the enterprise extension, Okta's password) are accepted and not stored.
 */
export const ScimUserRequestSchema = z.looseObject({
  schemas: schemasList.optional(),
  userName: text(MAX_USER_NAME_LENGTH),
  externalId: z.string().max(MAX_EXTERNAL_ID_LENGTH).nullish(),
  displayName: z.string().max(500).nullish(),
  name: NameSchema.nullish(),
  emails: z.array(EmailSchema).max(20).nullish(),
  active: z.union([z.boolean(), z.string().max(5)]).nullish(),
});
export type ScimUserRequest = z.infer<typeof ScimUserRequestSchema>;

export const ScimGroupRequestSchema = z.looseObject({
  schemas: schemasList.optional(),
  displayName: text(255),
  externalId: z.string().max(MAX_EXTERNAL_ID_LENGTH).nullish(),
  members: z.array(MemberSchema).max(MAX_MEMBERS_PER_REQUEST).nullish(),
});
export type ScimGroupRequest = z.infer<typeof ScimGroupRequestSchema>;

/** RFC 7644 §3.5.2. `op` is matched without case: Entra ID sends "Replace", "Add", "Remove". */
export const ScimPatchRequestSchema = z.looseObject({
  schemas: schemasList,
  Operations: z
    .array(z.looseObject({ op: z.string().max(20), path: z.string().max(1000).nullish(), value: z.unknown().optional() }))
    .min(1)
    .max(MAX_PATCH_OPERATIONS),
});
export type ScimPatchRequest = z.infer<typeof ScimPatchRequestSchema>;

/** Query of the list routes (RFC 7644 §3.4.2). Malformed numbers count as absent, as the RFC's defaults apply then. */
const looseInt = z.preprocess((v) => (typeof v === 'string' && /^-?\d{1,9}$/.test(v) ? Number(v) : undefined), z.number().int().optional());
export const ScimListQuerySchema = z.looseObject({
  filter: z.string().max(1000).optional(),
  startIndex: looseInt,
  count: looseInt,
  attributes: z.string().max(1000).optional(),
  excludedAttributes: z.string().max(1000).optional(),
});
export type ScimListQuery = z.infer<typeof ScimListQuerySchema>;

export const ScimResourceQuerySchema = z.looseObject({
  attributes: z.string().max(1000).optional(),
  excludedAttributes: z.string().max(1000).optional(),
});
export type ScimResourceQuery = z.infer<typeof ScimResourceQuerySchema>;

export const ScimIdParamsSchema = z.strictObject({ id: z.string().max(100) });
