import { sha256 } from '@noble/hashes/sha2.js';
import type { GroupAttributes, UserAttributes } from './attributes';
import { SCIM } from './scim-schemas';

export interface ResourceMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  location: string;
  version: string;
}

export interface ScimUserResource {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string };
  displayName: string;
  emails: { value: string; type: 'work'; primary: true }[];
  active: boolean;
  meta: ResourceMeta;
}

export interface ScimGroupResource {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members?: { value: string; display: string; $ref: string }[];
  meta: ResourceMeta;
}

export interface ScimListResponse<T> {
  schemas: [typeof SCIM.listResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/**
 * meta.version (RFC 7644 §3.14): a weak entity tag over everything the resource answers but `meta`,
 * so any change a client could see changes it, and nothing else does. It needs no version column,
 * and a group's tag changes with its members although no group row was written.
 */
export function versionOf(content: unknown): string {
  const digest = sha256(new TextEncoder().encode(JSON.stringify(content)));
  const hex = Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `W/"${hex}"`;
}

/** If-Match (RFC 7232 §3.1, weak comparison as RFC 7644 §3.14 allows): absent or `*` always matches. */
export function ifMatchHolds(header: string | undefined, version: string): boolean {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(version));
}

export interface StoredUser extends UserAttributes {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toScimUser(user: StoredUser, baseUrl: string): ScimUserResource {
  const content = {
    schemas: [SCIM.user],
    id: user.id,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    userName: user.userName,
    name: { formatted: user.displayName },
    displayName: user.displayName,
    emails: [{ value: user.email, type: 'work' as const, primary: true as const }],
    active: user.active,
  };
  return {
    ...content,
    meta: {
      resourceType: 'User',
      created: user.createdAt.toISOString(),
      lastModified: user.updatedAt.toISOString(),
      location: `${baseUrl}/Users/${user.id}`,
      version: versionOf(content),
    },
  };
}

export interface StoredGroup extends Omit<GroupAttributes, 'members'> {
  id: string;
  /** Sorted by id by the caller's query; `display` is the member's userName or email. */
  members: { id: string; display: string }[];
  createdAt: Date;
  updatedAt: Date;
}

/** `withMembers: false` answers `excludedAttributes=members` (Entra ID asks so); the version still covers them. */
export function toScimGroup(group: StoredGroup, baseUrl: string, withMembers = true): ScimGroupResource {
  const members = group.members.map((member) => ({ value: member.id, display: member.display, $ref: `${baseUrl}/Users/${member.id}` }));
  const content = {
    schemas: [SCIM.group],
    id: group.id,
    ...(group.externalId !== null ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    members,
  };
  const meta: ResourceMeta = {
    resourceType: 'Group',
    created: group.createdAt.toISOString(),
    lastModified: group.updatedAt.toISOString(),
    location: `${baseUrl}/Groups/${group.id}`,
    version: versionOf(content),
  };
  if (withMembers) return { ...content, meta };
  const { members: _left, ...rest } = content;
  return { ...rest, meta };
}

/** Whether `excludedAttributes` (or an `attributes` list without it) leaves a group's members out. */
export function excludesMembers(query: { attributes?: string; excludedAttributes?: string }): boolean {
  const names = (list?: string) =>
    (list ?? '').split(',').map((name) =>
      name
        .trim()
        .toLowerCase()
        .replace(/^urn:ietf:params:scim:schemas:core:2\.0:group:/, ''),
    );
  if (names(query.excludedAttributes).includes('members')) return true;
  return query.attributes !== undefined && query.attributes.trim() !== '' && !names(query.attributes).includes('members');
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number): ScimListResponse<T> {
  return { schemas: [SCIM.listResponse], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
