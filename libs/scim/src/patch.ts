import { isStorableText } from '@retract/contracts';
import {
  primaryEmail,
  scimBoolean,
  scimDisplayName,
  scimEmail,
  scimExternalId,
  scimGroupName,
  scimUserName,
  type GroupAttributes,
  type UserAttributes,
} from './attributes';
import { ScimError, invalidValue } from './scim-error';
import { MAX_MEMBERS_PER_REQUEST, SCIM, type ScimPatchRequest } from './scim-schemas';

export type PatchOp = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOp;
  path?: string;
  value?: unknown;
}

/** A PATCH path (RFC 7644 §3.5.2): attribute, optional value filter, optional sub-attribute, all lower-cased but the filter value. */
export interface PatchPath {
  attribute: string;
  filter?: { attribute: string; value: string | boolean };
  sub?: string;
  /** An attribute of a schema extension (the enterprise User): not kept by Retract. */
  extension: boolean;
}

const ATTRIBUTE =
  /^([A-Za-z][A-Za-z0-9_$-]*)(?:\.([A-Za-z][A-Za-z0-9_$-]*))?(?:\[\s*([A-Za-z][A-Za-z0-9_$-]*)\s+[eE][qQ]\s+("(?:[^"\\]|\\.)*"|true|false)\s*\])?(?:\.([A-Za-z][A-Za-z0-9_$-]*))?$/;
const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i;

export function parsePatchPath(path: string): PatchPath {
  let rest = path.trim();
  let extension = false;
  if (CORE_PREFIX.test(rest)) rest = rest.replace(CORE_PREFIX, '');
  else if (/^urn:/i.test(rest)) {
    extension = true;
    rest = rest.slice(rest.lastIndexOf(':') + 1);
  }
  const match = ATTRIBUTE.exec(rest);
  // `name.givenName[...]` is not a path; neither is a filter on a sub-attribute.
  if (!match || (match[2] && match[3]))
    throw new ScimError(400, 'invalidPath', `The path ${JSON.stringify(path.slice(0, 200))} is not a valid attribute path.`);
  const [, attribute, dotted, filterAttribute, filterLiteral, sub] = match;
  return {
    attribute: attribute.toLowerCase(),
    ...(filterAttribute ? { filter: { attribute: filterAttribute.toLowerCase(), value: JSON.parse(filterLiteral) as string | boolean } } : {}),
    ...((dotted ?? sub) ? { sub: (dotted ?? sub).toLowerCase() } : {}),
    extension,
  };
}

/** The operations of a PatchOp request, with `op` lower-cased (Entra ID capitalises it). */
export function patchOperations(request: ScimPatchRequest): PatchOperation[] {
  if (!request.schemas.includes(SCIM.patchOp)) throw new ScimError(400, 'invalidSyntax', `A PATCH body names the schema ${SCIM.patchOp}.`);
  return request.Operations.map((operation) => {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace')
      throw new ScimError(400, 'invalidSyntax', `The operation ${JSON.stringify(operation.op)} is not add, remove or replace.`);
    if (op === 'remove' && !operation.path) throw new ScimError(400, 'noTarget', 'A remove operation needs a path.');
    return { op, ...(operation.path ? { path: operation.path } : {}), ...(operation.value !== undefined ? { value: operation.value } : {}) };
  });
}

/** `{"op":"replace","value":{"active":false}}` (Okta) is `{"op":"replace","path":"active","value":false}`: one operation per member. */
function withPaths(operation: PatchOperation): { op: PatchOp; path: PatchPath; value: unknown }[] {
  if (operation.path) return [{ op: operation.op, path: parsePatchPath(operation.path), value: operation.value }];
  if (typeof operation.value !== 'object' || operation.value === null || Array.isArray(operation.value)) {
    throw invalidValue('An operation without a path takes an object of attributes as its value.');
  }
  return Object.entries(operation.value as Record<string, unknown>).map(([key, value]) => ({ op: operation.op, path: parsePatchPath(key), value }));
}

const required = (attribute: string) => new ScimError(400, 'mutability', `${attribute} is required and cannot be removed.`);

/** Applies PATCH operations to a User, in order (RFC 7644 §3.5.2: all or nothing, which the caller's transaction gives). */
export function applyUserPatch(current: UserAttributes, operations: readonly PatchOperation[]): UserAttributes {
  let user = { ...current };
  for (const { op, path, value } of operations.flatMap(withPaths)) {
    if (path.extension) continue;
    switch (path.attribute) {
      case 'username':
        if (op === 'remove') throw required('userName');
        user = { ...user, userName: scimUserName(value) };
        break;
      case 'externalid':
        user = { ...user, externalId: op === 'remove' ? null : scimExternalId(value) };
        break;
      case 'displayname':
        if (op === 'remove') throw required('displayName');
        user = { ...user, displayName: scimDisplayName(value) };
        break;
      case 'active':
        if (op === 'remove') throw required('active');
        user = { ...user, active: scimBoolean(value, 'active') };
        break;
      case 'emails': {
        if (op === 'remove') throw required('emails');
        // emails[type eq "work"].value and emails[primary eq true].value name the one address Retract keeps.
        const email =
          path.sub === 'value'
            ? scimEmail(value)
            : Array.isArray(value)
              ? primaryEmail(value as { value?: unknown }[])
              : primaryEmail([value as { value?: unknown }]);
        if (email) user = { ...user, email };
        break;
      }
      default:
        // Attributes Retract does not keep (name parts, title, phone numbers…), as on POST.
        break;
    }
  }
  return user;
}

function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_MEMBERS_PER_REQUEST) throw new ScimError(400, 'tooMany', `At most ${MAX_MEMBERS_PER_REQUEST} members per operation.`);
  return list.map((member) => {
    const id = typeof member === 'object' && member !== null ? (member as { value?: unknown }).value : undefined;
    if (typeof id !== 'string' || id === '' || id.length > 255 || !isStorableText(id))
      throw invalidValue('A member is an object with the member id as "value".');
    return id;
  });
}

/** Applies PATCH operations to a Group: its name, its externalId and its members (Okta's and Entra ID's shapes alike). */
export function applyGroupPatch(current: GroupAttributes, operations: readonly PatchOperation[]): GroupAttributes {
  let group: GroupAttributes = { ...current, members: [...current.members] };
  for (const { op, path, value } of operations.flatMap(withPaths)) {
    if (path.extension) continue;
    switch (path.attribute) {
      case 'displayname':
        if (op === 'remove') throw required('displayName');
        group = { ...group, displayName: scimGroupName(value) };
        break;
      case 'externalid':
        group = { ...group, externalId: op === 'remove' ? null : scimExternalId(value) };
        break;
      case 'members': {
        if (path.filter) {
          // members[value eq "id"] (Okta's and Entra ID's removal of one member).
          if (op !== 'remove' || path.filter.attribute !== 'value' || typeof path.filter.value !== 'string' || path.sub) {
            throw new ScimError(400, 'invalidPath', 'Members are named by members[value eq "id"], and only to remove one.');
          }
          const gone = path.filter.value;
          group = { ...group, members: group.members.filter((id) => id !== gone) };
        } else if (op === 'remove') {
          const gone = value === undefined || value === null ? null : new Set(memberIds(value));
          group = { ...group, members: gone ? group.members.filter((id) => !gone.has(id)) : [] };
        } else {
          const named = memberIds(value ?? []);
          group = { ...group, members: [...new Set(op === 'add' ? [...group.members, ...named] : named)] };
        }
        break;
      }
      default:
        break;
    }
  }
  return group;
}
