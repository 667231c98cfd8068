import { MAX_PAGE_SIZE } from './pagination';
import { SCIM } from './scim-schemas';

/**
 * The discovery documents of RFC 7644 §4: what this service supports, so a client configures itself
 * (Okta's and Entra ID's provisioning read ServiceProviderConfig; Schemas lists what Retract keeps).
 */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SCIM.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A Retract service-account token (rtk_…) with the scim scope, as Authorization: Bearer.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  const type = (name: 'User' | 'Group', endpoint: string, schema: string, extensions: { schema: string; required: boolean }[] = []) => ({
    schemas: [SCIM.resourceType],
    id: name,
    name,
    endpoint,
    description: name === 'User' ? 'A person of the organisation' : 'A group whose name the organisation may map to roles',
    schema,
    ...(extensions.length ? { schemaExtensions: extensions } : {}),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${name}` },
  });
  return [type('User', '/Users', SCIM.user), type('Group', '/Groups', SCIM.group)];
}

const attribute = (
  name: string,
  options: {
    type?: string;
    required?: boolean;
    caseExact?: boolean;
    mutability?: string;
    uniqueness?: string;
    multiValued?: boolean;
    subAttributes?: unknown[];
    description: string;
  },
) => ({
  name,
  type: options.type ?? 'string',
  multiValued: options.multiValued ?? false,
  description: options.description,
  required: options.required ?? false,
  caseExact: options.caseExact ?? false,
  mutability: options.mutability ?? 'readWrite',
  returned: 'default',
  uniqueness: options.uniqueness ?? 'none',
  ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
});

/** Only the attributes Retract keeps; others a client sends are accepted and not stored. */
export function schemas(baseUrl: string) {
  const user = {
    schemas: [SCIM.schema],
    id: SCIM.user,
    name: 'User',
    description: 'A person of the organisation',
    attributes: [
      attribute('userName', { required: true, uniqueness: 'server', description: 'Unique within the organisation, compared without case' }),
      attribute('externalId', { caseExact: true, description: "The provisioning client's own id" }),
      attribute('displayName', { description: 'The name shown in Retract (at most 120 characters)' }),
      attribute('name', {
        type: 'complex',
        description: 'Answered as formatted = displayName; givenName and familyName make the display name when none is given',
        subAttributes: [attribute('formatted', { description: 'The display name' })],
      }),
      attribute('emails', {
        type: 'complex',
        multiValued: true,
        description: 'The primary (else work, else first) address is the sign-in address; one is kept',
        subAttributes: [
          attribute('value', { description: 'The address' }),
          attribute('type', { description: 'work' }),
          attribute('primary', { type: 'boolean', description: 'Always true' }),
        ],
      }),
      attribute('active', { type: 'boolean', description: 'false deactivates: sessions and live event streams end at once' }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCIM.user}` },
  };
  const group = {
    schemas: [SCIM.schema],
    id: SCIM.group,
    name: 'Group',
    description: 'Its displayName or externalId may be mapped to a role by the organisation (docs/identity.md)',
    attributes: [
      attribute('displayName', { required: true, uniqueness: 'server', caseExact: true, description: 'Unique within the organisation' }),
      attribute('externalId', { caseExact: true, description: "The provisioning client's own id" }),
      attribute('members', {
        type: 'complex',
        multiValued: true,
        description: 'Users of the group',
        subAttributes: [
          attribute('value', { mutability: 'immutable', description: 'The user id' }),
          attribute('display', { mutability: 'readOnly', description: 'The userName' }),
        ],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCIM.group}` },
  };
  return [user, group];
}
