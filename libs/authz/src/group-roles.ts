import type { Role } from '@retract/contracts';

/** An organisation's mapping of its identity provider's groups to roles (docs/identity.md). */
export interface GroupRoleMapping {
  group: string;
  role: Role;
}

/**
 * Roles the organisation's mapping gives a set of provider groups; EMPLOYEE always. The same for the
 * ID token's `groups` claim at a first sign-in and for SCIM group membership.
 */
export function rolesForGroups(mapping: readonly GroupRoleMapping[], groups: readonly string[]): Role[] {
  const roles = new Set<Role>(['EMPLOYEE']);
  for (const m of mapping) if (groups.includes(m.group)) roles.add(m.role);
  return [...roles];
}

/**
 * What a change of someone's groups (`before` → `after`) changes in their roles: roles the mapping
 * gives now and did not before, unless already held, are added; roles it gave before and no longer
 * gives are removed. A role granted another way (the console) and not tied to the groups that
 * changed is left alone, and EMPLOYEE is never removed.
 */
export function groupRoleChange(
  mapping: readonly GroupRoleMapping[],
  before: readonly string[],
  after: readonly string[],
  held: readonly Role[],
): { add: Role[]; remove: Role[] } {
  const was = rolesForGroups(mapping, before);
  const now = rolesForGroups(mapping, after);
  return {
    add: now.filter((role) => !was.includes(role) && !held.includes(role)),
    remove: was.filter((role) => role !== 'EMPLOYEE' && !now.includes(role) && held.includes(role)),
  };
}
