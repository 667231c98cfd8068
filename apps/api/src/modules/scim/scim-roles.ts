import { groupRoleChange, type GroupRoleMapping } from '@retract/authz';
import type { Tx, UserRole } from '@retract/db';
import type { ServicePrincipal } from '../../common/auth/service-accounts';
import { AuditLog } from '../audit/audit-log';
import { ROLES_NEEDING_APPROVAL, RoleGrants } from '../role-grants/role-grants.service';
import { assertAnotherActive } from '../users/last-holders';
import { groupNamesOf } from './scim-store';

interface Mapping extends GroupRoleMapping {
  createdBy: string;
}

async function mappingOf(tx: Tx, tenantId: string): Promise<Mapping[]> {
  const rows = await tx.groupRoleMapping.findMany({ where: { tenantId }, orderBy: [{ groupName: 'asc' }, { role: 'asc' }] });
  return rows.map((row) => ({ group: row.groupName, role: row.role, createdBy: row.createdBy }));
}

/** The group names of these users now, to compare with after a change (`applyGroupRoles`). */
export const groupsBefore = groupNamesOf;

/**
 * Roles follow SCIM group membership through the organisation's group-to-role mapping, the same
 * mapping the ID token's groups claim goes through (docs/identity.md): a role the mapping gives now
 * and did not before is added, one it no longer gives is removed; roles granted in the console and
 * not tied to the groups that changed stay. COMPLIANCE is never given at once: it becomes a pending
 * grant requested by the administrator who set that mapping, decided by another compliance officer.
 * The last active administrator or compliance officer keeps the role (409, nothing changes).
 */
export async function applyGroupRoles(tx: Tx, audit: AuditLog, grants: RoleGrants, service: ServicePrincipal, before: Map<string, string[]>): Promise<void> {
  const { tenantId } = service;
  const userIds = [...before.keys()];
  if (userIds.length === 0) return;
  const mapping = await mappingOf(tx, tenantId);
  if (mapping.length === 0) return;
  const after = await groupNamesOf(tx, tenantId, userIds);
  const users = await tx.user.findMany({ where: { tenantId, id: { in: userIds } }, select: { id: true, roles: true, active: true, erasedAt: true } });
  for (const user of users) {
    if (user.erasedAt) continue;
    const { add, remove } = groupRoleChange(mapping, before.get(user.id) ?? [], after.get(user.id) ?? [], user.roles);
    const now = add.filter((role) => !ROLES_NEEDING_APPROVAL.includes(role));
    const waiting = add.filter((role) => ROLES_NEEDING_APPROVAL.includes(role));
    for (const role of remove) if (user.active && (role === 'ADMIN' || role === 'COMPLIANCE')) await assertAnotherActive(tx, tenantId, role, user.id);
    const roles: UserRole[] = [...user.roles.filter((role) => !remove.includes(role)), ...now];
    if (now.length > 0 || remove.length > 0) {
      await tx.user.update({ where: { tenantId_id: { tenantId, id: user.id } }, data: { roles, updatedAt: new Date() } });
      await audit.append(tx, tenantId, {
        action: 'ROLE_CHANGED',
        actorId: service.serviceAccountId,
        subjectUserId: user.id,
        details: { from: user.roles, to: roles, via: 'SCIM', serviceAccountId: service.serviceAccountId },
      });
    }
    for (const role of waiting) {
      const requester = mapping.find((m) => m.role === role && (after.get(user.id) ?? []).includes(m.group))!.createdBy;
      await grants.request(tx, { tenantId, userId: requester }, user.id, role);
    }
    // A grant still waiting for a role the groups no longer give ends with them.
    const lost = groupRoleChange(mapping, before.get(user.id) ?? [], after.get(user.id) ?? [], ROLES_NEEDING_APPROVAL).remove;
    if (lost.length > 0) await revokeWaiting(tx, audit, service, user.id, lost);
  }
}

async function revokeWaiting(tx: Tx, audit: AuditLog, service: ServicePrincipal, userId: string, roles: UserRole[]): Promise<void> {
  const { tenantId } = service;
  const open = await tx.roleGrant.findMany({ where: { tenantId, userId, state: 'PENDING', role: { in: roles } } });
  for (const grant of open) {
    await tx.roleGrant.update({ where: { tenantId_id: { tenantId, id: grant.id } }, data: { state: 'REVOKED', decidedAt: new Date() } });
    await audit.append(tx, tenantId, {
      action: 'ROLE_GRANT_REVOKED',
      actorId: service.serviceAccountId,
      subjectUserId: userId,
      details: { grantId: grant.id, role: grant.role, via: 'SCIM', serviceAccountId: service.serviceAccountId },
    });
  }
}
