import { isStorableText } from '@retract/contracts';
import { invalidValue } from './scim-error';
import {
  MAX_DISPLAY_NAME_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_EXTERNAL_ID_LENGTH,
  MAX_USER_NAME_LENGTH,
  type ScimGroupRequest,
  type ScimUserRequest,
} from './scim-schemas';

/** What Retract keeps of a SCIM User (docs/identity.md, "SCIM"): the rest of the resource is accepted and not stored. */
export interface UserAttributes {
  userName: string;
  externalId: string | null;
  displayName: string;
  /** Lower case: Retract's sign-in address. */
  email: string;
  active: boolean;
}

export interface GroupAttributes {
  displayName: string;
  externalId: string | null;
  /** Retract user ids, without repeats. */
  members: readonly string[];
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/** A string PostgreSQL stores exactly (no NUL, no unpaired surrogate), of `min` to `max` UTF-16 code units. */
function storable(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max && isStorableText(value);
}

/** SCIM booleans; Entra ID sends "True" and "False" as strings in PATCH values. */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidValue(`${attribute} must be true or false.`);
}

export function scimEmail(value: unknown): string {
  if (!storable(value, 3, MAX_EMAIL_LENGTH) || !EMAIL.test(value.trim())) throw invalidValue('The email is not an email address.');
  return value.trim().toLowerCase();
}

export function scimUserName(value: unknown): string {
  if (!storable(value, 1, MAX_USER_NAME_LENGTH) || value.trim() === '') throw invalidValue(`userName must be 1 to ${MAX_USER_NAME_LENGTH} characters.`);
  return value;
}

export function scimDisplayName(value: unknown): string {
  if (!storable(value, 1, 10_000) || value.trim() === '') throw invalidValue('displayName must not be empty.');
  const name = value.trim();
  if (name.length <= MAX_DISPLAY_NAME_LENGTH) return name;
  // Never half a surrogate pair at the cut.
  const cut = name.slice(0, MAX_DISPLAY_NAME_LENGTH);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Group names are matched against the organisation's group-to-role mapping as given: never cut. */
export function scimGroupName(value: unknown): string {
  if (!storable(value, 1, 255) || value.trim() === '') throw invalidValue('displayName must be 1 to 255 characters.');
  return value;
}

export function scimExternalId(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!storable(value, 1, MAX_EXTERNAL_ID_LENGTH)) throw invalidValue(`externalId must be a string of at most ${MAX_EXTERNAL_ID_LENGTH} characters.`);
  return value;
}

const isPrimary = (email: { primary?: unknown }) => email.primary === true || (typeof email.primary === 'string' && email.primary.toLowerCase() === 'true');

/** The address of a multi-valued `emails`: the primary one, else the work one, else the first. */
export function primaryEmail(emails: readonly { value?: unknown; type?: unknown; primary?: unknown }[]): string | null {
  const chosen = emails.find(isPrimary) ?? emails.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'work') ?? emails[0];
  return chosen ? scimEmail(chosen.value) : null;
}

/**
 * A POSTed or PUT User: the email is the primary of `emails`, else the userName when it is an
 * address (Okta's default, and Entra ID's userPrincipalName usually is); the display name is
 * `displayName`, else the formatted or given and family names, else the userName.
 */
export function userFromResource(resource: ScimUserRequest): UserAttributes {
  const userName = scimUserName(resource.userName);
  const email = primaryEmail(resource.emails ?? []) ?? (EMAIL.test(userName.trim()) ? scimEmail(userName) : null);
  if (!email) throw invalidValue('An email is required: give emails, or a userName that is an email address.');
  const given = [resource.name?.givenName, resource.name?.familyName]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' ');
  const name = [resource.displayName, resource.name?.formatted, given, userName].find((candidate) => typeof candidate === 'string' && candidate.trim() !== '')!;
  return {
    userName,
    externalId: scimExternalId(resource.externalId),
    displayName: scimDisplayName(name),
    email,
    active: resource.active === undefined || resource.active === null ? true : scimBoolean(resource.active, 'active'),
  };
}

export function groupFromResource(resource: ScimGroupRequest): GroupAttributes {
  return {
    displayName: scimGroupName(resource.displayName),
    externalId: scimExternalId(resource.externalId),
    members: [...new Set((resource.members ?? []).map((member) => member.value))],
  };
}
