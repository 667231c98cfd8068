import type { StoredGroup, StoredUser } from '@retract/scim';
import type { Tx, UserRole } from '@retract/db';
import { ScimError } from '@retract/scim';

/*
 * The SCIM view of Retract's people and groups (docs/identity.md, "SCIM provisioning"): a provisioned
 * user is a Retract user with a `scim_users` row (its userName and externalId); groups and their
 * members live in `scim_groups` / `scim_group_members`. Every query runs in the service account's
 * tenant transaction, under row-level security.
 */

export interface ScimUserRow extends StoredUser {
  roles: UserRole[];
  erased: boolean;
}

type RawUser = {
  id: string;
  user_name: string;
  external_id: string | null;
  display_name: string;
  email: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  roles: UserRole[];
  erased: boolean;
};

const toUser = (row: RawUser): ScimUserRow => ({
  id: row.id,
  userName: row.user_name,
  externalId: row.external_id,
  displayName: row.display_name,
  email: row.email,
  active: row.active,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  roles: row.roles,
  erased: row.erased,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

export const noSuch = (kind: 'User' | 'Group', id: string) => new ScimError(404, undefined, `No ${kind} ${JSON.stringify(id.slice(0, 100))}.`);

/** A provisioned user; `lock` holds the row for the rest of the transaction (PUT, PATCH, DELETE). */
export async function findScimUser(tx: Tx, tenantId: string, id: string, lock = false): Promise<ScimUserRow | null> {
  if (!isUuid(id)) return null;
  const rows = lock
    ? await tx.$queryRaw<RawUser[]>`
        SELECT u.id, s.user_name, s.external_id, u.display_name, u.email, u.active, u.created_at, u.updated_at, u.roles::text[] AS roles, u.erased_at IS NOT NULL AS erased
          FROM scim_users s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
         WHERE s.tenant_id = ${tenantId}::uuid AND s.user_id = ${id}::uuid
         FOR UPDATE OF u, s`
    : await tx.$queryRaw<RawUser[]>`
        SELECT u.id, s.user_name, s.external_id, u.display_name, u.email, u.active, u.created_at, u.updated_at, u.roles::text[] AS roles, u.erased_at IS NOT NULL AS erased
          FROM scim_users s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
         WHERE s.tenant_id = ${tenantId}::uuid AND s.user_id = ${id}::uuid`;
  return rows[0] ? toUser(rows[0]) : null;
}

/** One page of provisioned users, by userName without case; `where` is one equality filter or none. */
export async function listScimUsers(
  tx: Tx,
  tenantId: string,
  where: { attribute: 'userName' | 'externalId'; value: string } | null,
  offset: number,
  limit: number,
): Promise<{ total: number; users: ScimUserRow[] }> {
  const userName = where?.attribute === 'userName' ? where.value : null;
  const externalId = where?.attribute === 'externalId' ? where.value : null;
  const [{ total }] = await tx.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM scim_users s
     WHERE s.tenant_id = ${tenantId}::uuid
       AND (${userName}::text IS NULL OR lower(s.user_name) = lower(${userName}::text))
       AND (${externalId}::text IS NULL OR s.external_id = ${externalId}::text)`;
  if (limit === 0) return { total, users: [] };
  const rows = await tx.$queryRaw<RawUser[]>`
    SELECT u.id, s.user_name, s.external_id, u.display_name, u.email, u.active, u.created_at, u.updated_at, u.roles::text[] AS roles, u.erased_at IS NOT NULL AS erased
      FROM scim_users s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
     WHERE s.tenant_id = ${tenantId}::uuid
       AND (${userName}::text IS NULL OR lower(s.user_name) = lower(${userName}::text))
       AND (${externalId}::text IS NULL OR s.external_id = ${externalId}::text)
     ORDER BY lower(s.user_name), s.user_id
     OFFSET ${offset} LIMIT ${limit}`;
  return { total, users: rows.map(toUser) };
}

/** userName is unique without case (RFC 7643 §4.1: caseExact false): creations and renames serialise on this lock. */
export async function lockUserNames(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`scim-user-names:${tenantId}`}, 0))`;
}

export async function userNameTaken(tx: Tx, tenantId: string, userName: string, exceptUserId: string | null): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM scim_users WHERE tenant_id = ${tenantId}::uuid AND lower(user_name) = lower(${userName}) AND user_id IS DISTINCT FROM ${exceptUserId}::uuid`;
  return rows.length > 0;
}

type RawGroup = { id: string; display_name: string; external_id: string | null; created_at: Date; updated_at: Date };

async function withMembers(tx: Tx, tenantId: string, groups: RawGroup[]): Promise<StoredGroup[]> {
  if (groups.length === 0) return [];
  const members = await tx.$queryRaw<{ group_id: string; user_id: string; user_name: string }[]>`
    SELECT m.group_id, m.user_id, s.user_name
      FROM scim_group_members m JOIN scim_users s ON s.tenant_id = m.tenant_id AND s.user_id = m.user_id
     WHERE m.tenant_id = ${tenantId}::uuid AND m.group_id = ANY(${groups.map((g) => g.id)}::uuid[])
     ORDER BY m.user_id`;
  return groups.map((group) => ({
    id: group.id,
    displayName: group.display_name,
    externalId: group.external_id,
    members: members.filter((m) => m.group_id === group.id).map((m) => ({ id: m.user_id, display: m.user_name })),
    createdAt: group.created_at,
    updatedAt: group.updated_at,
  }));
}

export async function findScimGroup(tx: Tx, tenantId: string, id: string, lock = false): Promise<StoredGroup | null> {
  if (!isUuid(id)) return null;
  const rows = lock
    ? await tx.$queryRaw<RawGroup[]>`
        SELECT id, display_name, external_id, created_at, updated_at FROM scim_groups WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid FOR UPDATE`
    : await tx.$queryRaw<RawGroup[]>`
        SELECT id, display_name, external_id, created_at, updated_at FROM scim_groups WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid`;
  const [group] = await withMembers(tx, tenantId, rows);
  return group ?? null;
}

export async function listScimGroups(
  tx: Tx,
  tenantId: string,
  where: { attribute: 'displayName' | 'externalId'; value: string } | null,
  offset: number,
  limit: number,
): Promise<{ total: number; groups: StoredGroup[] }> {
  const displayName = where?.attribute === 'displayName' ? where.value : null;
  const externalId = where?.attribute === 'externalId' ? where.value : null;
  const [{ total }] = await tx.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM scim_groups
     WHERE tenant_id = ${tenantId}::uuid AND (${displayName}::text IS NULL OR display_name = ${displayName}::text)
       AND (${externalId}::text IS NULL OR external_id = ${externalId}::text)`;
  if (limit === 0) return { total, groups: [] };
  const rows = await tx.$queryRaw<RawGroup[]>`
    SELECT id, display_name, external_id, created_at, updated_at FROM scim_groups
     WHERE tenant_id = ${tenantId}::uuid AND (${displayName}::text IS NULL OR display_name = ${displayName}::text)
       AND (${externalId}::text IS NULL OR external_id = ${externalId}::text)
     ORDER BY display_name, id
     OFFSET ${offset} LIMIT ${limit}`;
  return { total, groups: await withMembers(tx, tenantId, rows) };
}

/** The names each user's groups answer to in the group-to-role mapping: display names and external ids. */
export async function groupNamesOf(tx: Tx, tenantId: string, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return names;
  const rows = await tx.$queryRaw<{ user_id: string; display_name: string; external_id: string | null }[]>`
    SELECT m.user_id, g.display_name, g.external_id
      FROM scim_group_members m JOIN scim_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
     WHERE m.tenant_id = ${tenantId}::uuid AND m.user_id = ANY(${[...userIds]}::uuid[])`;
  for (const row of rows) names.get(row.user_id)!.push(row.display_name, ...(row.external_id ? [row.external_id] : []));
  return names;
}

/** Of these ids, those that are not provisioned users of the organisation. */
export async function unknownUsers(tx: Tx, tenantId: string, ids: readonly string[]): Promise<string[]> {
  const wellFormed = ids.filter(isUuid);
  const found = wellFormed.length
    ? await tx.$queryRaw<{ user_id: string }[]>`SELECT user_id FROM scim_users WHERE tenant_id = ${tenantId}::uuid AND user_id = ANY(${wellFormed}::uuid[])`
    : [];
  const known = new Set(found.map((row) => row.user_id));
  return ids.filter((id) => !known.has(id));
}
