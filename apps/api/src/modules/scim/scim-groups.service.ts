import { Injectable } from '@nestjs/common';
import type { Tx } from '@retract/db';
import {
  GROUP_FILTER_ATTRIBUTES,
  ScimError,
  applyGroupPatch,
  groupFromResource,
  ifMatchHolds,
  invalidValue,
  listResponse,
  pageWindow,
  parseEqualityFilter,
  patchOperations,
  toScimGroup,
  type GroupAttributes,
  type ScimGroupRequest,
  type ScimGroupResource,
  type ScimListQuery,
  type ScimPatchRequest,
  type StoredGroup,
} from '@retract/scim';
import type { ServicePrincipal } from '../../common/auth/service-accounts';
import { TenantDb } from '../../common/database/database.module';
import { AuditLog } from '../audit/audit-log';
import { RoleGrants } from '../role-grants/role-grants.service';
import { applyGroupRoles, groupsBefore } from './scim-roles';
import { findScimGroup, listScimGroups, noSuch, unknownUsers } from './scim-store';

const attributesOf = (group: StoredGroup): GroupAttributes => ({
  displayName: group.displayName,
  externalId: group.externalId,
  members: group.members.map((m) => m.id),
});

/**
 * /scim/v2/Groups (docs/identity.md, "SCIM provisioning"). A group's display name and external id
 * are what the organisation's group-to-role mapping names, so every change of members or name
 * recomputes the roles of the people it touches (scim-roles.ts). Audited as SCIM_GROUP_CHANGED.
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly grants: RoleGrants,
  ) {}

  list(service: ServicePrincipal, query: ScimListQuery, baseUrl: string, withMembers: boolean) {
    const where = query.filter ? parseEqualityFilter(query.filter, GROUP_FILTER_ATTRIBUTES) : null;
    const page = pageWindow(query.startIndex, query.count);
    return this.tenantDb.run(service, async (tx) => {
      const { total, groups } = await listScimGroups(tx, service.tenantId, where, page.offset, page.limit);
      return listResponse(
        groups.map((group) => toScimGroup(group, baseUrl, withMembers)),
        total,
        page.startIndex,
      );
    });
  }

  get(service: ServicePrincipal, id: string, baseUrl: string, withMembers: boolean): Promise<ScimGroupResource> {
    return this.tenantDb.run(service, async (tx) => {
      const group = await findScimGroup(tx, service.tenantId, id.toLowerCase());
      if (!group) throw noSuch('Group', id);
      return toScimGroup(group, baseUrl, withMembers);
    });
  }

  create(service: ServicePrincipal, request: ScimGroupRequest, baseUrl: string): Promise<ScimGroupResource> {
    const wanted = normalised(groupFromResource(request));
    const { tenantId } = service;
    return this.tenantDb.run(service, async (tx) => {
      await this.assertNameFree(tx, tenantId, wanted.displayName, null);
      await this.assertMembersKnown(tx, tenantId, wanted.members);
      const before = await groupsBefore(tx, tenantId, wanted.members);
      const group = await tx.scimGroup.create({ data: { tenantId, displayName: wanted.displayName, externalId: wanted.externalId } });
      if (wanted.members.length > 0) await tx.scimGroupMember.createMany({ data: wanted.members.map((userId) => ({ tenantId, groupId: group.id, userId })) });
      await applyGroupRoles(tx, this.audit, this.grants, service, before);
      await this.record(tx, service, group.id, 'CREATED', {
        displayName: wanted.displayName,
        externalId: wanted.externalId,
        added: [...wanted.members],
        removed: [],
        renamed: false,
      });
      return toScimGroup((await findScimGroup(tx, tenantId, group.id))!, baseUrl);
    });
  }

  replace(service: ServicePrincipal, id: string, ifMatch: string | undefined, request: ScimGroupRequest, baseUrl: string): Promise<ScimGroupResource> {
    const wanted = groupFromResource(request);
    return this.modify(service, id, ifMatch, baseUrl, () => wanted);
  }

  patch(service: ServicePrincipal, id: string, ifMatch: string | undefined, request: ScimPatchRequest, baseUrl: string): Promise<ScimGroupResource> {
    const operations = patchOperations(request);
    return this.modify(service, id, ifMatch, baseUrl, (current) => applyGroupPatch(current, operations));
  }

  async remove(service: ServicePrincipal, id: string, ifMatch: string | undefined, baseUrl: string): Promise<void> {
    const { tenantId } = service;
    await this.tenantDb.run(service, async (tx) => {
      const current = await this.locked(tx, service, id, ifMatch, baseUrl);
      const members = current.members.map((m) => m.id);
      const before = await groupsBefore(tx, tenantId, members);
      await tx.scimGroup.delete({ where: { tenantId_id: { tenantId, id: current.id } } });
      await applyGroupRoles(tx, this.audit, this.grants, service, before);
      await this.record(tx, service, current.id, 'DELETED', {
        displayName: current.displayName,
        externalId: current.externalId,
        added: [],
        removed: members,
        renamed: false,
      });
    });
  }

  private modify(
    service: ServicePrincipal,
    id: string,
    ifMatch: string | undefined,
    baseUrl: string,
    next: (current: GroupAttributes) => GroupAttributes,
  ): Promise<ScimGroupResource> {
    const { tenantId } = service;
    return this.tenantDb.run(service, async (tx) => {
      const current = await this.locked(tx, service, id, ifMatch, baseUrl);
      const was = attributesOf(current);
      const wanted = normalised(next(was));
      const added = wanted.members.filter((m) => !was.members.includes(m));
      const removed = was.members.filter((m) => !wanted.members.includes(m));
      const renamed = wanted.displayName !== was.displayName || wanted.externalId !== was.externalId;
      if (added.length === 0 && removed.length === 0 && !renamed) return toScimGroup(current, baseUrl);
      if (wanted.displayName !== was.displayName) await this.assertNameFree(tx, tenantId, wanted.displayName, current.id);
      await this.assertMembersKnown(tx, tenantId, added);
      // A rename changes what the mapping sees for every member; a membership change, for those who came or went.
      const before = await groupsBefore(tx, tenantId, renamed ? [...new Set([...was.members, ...added])] : [...added, ...removed]);
      await tx.scimGroup.update({
        where: { tenantId_id: { tenantId, id: current.id } },
        data: { displayName: wanted.displayName, externalId: wanted.externalId, updatedAt: new Date() },
      });
      if (removed.length > 0) await tx.scimGroupMember.deleteMany({ where: { tenantId, groupId: current.id, userId: { in: removed } } });
      if (added.length > 0) await tx.scimGroupMember.createMany({ data: added.map((userId) => ({ tenantId, groupId: current.id, userId })) });
      await applyGroupRoles(tx, this.audit, this.grants, service, before);
      await this.record(tx, service, current.id, 'UPDATED', { displayName: wanted.displayName, externalId: wanted.externalId, added, removed, renamed });
      return toScimGroup((await findScimGroup(tx, tenantId, current.id))!, baseUrl);
    });
  }

  private async locked(tx: Tx, service: ServicePrincipal, id: string, ifMatch: string | undefined, baseUrl: string): Promise<StoredGroup> {
    const current = await findScimGroup(tx, service.tenantId, id.toLowerCase(), true);
    if (!current) throw noSuch('Group', id);
    if (!ifMatchHolds(ifMatch, toScimGroup(current, baseUrl).meta.version)) {
      throw new ScimError(412, undefined, 'The resource changed since the version named in If-Match; read it again.');
    }
    return current;
  }

  private async assertNameFree(tx: Tx, tenantId: string, displayName: string, exceptId: string | null): Promise<void> {
    const taken = await tx.scimGroup.findFirst({ where: { tenantId, displayName, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
    if (taken) throw new ScimError(409, 'uniqueness', `A Group named ${JSON.stringify(displayName)} exists.`);
  }

  /** Members are provisioned Users only: a group cannot hand a mapped role to an account the console manages. */
  private async assertMembersKnown(tx: Tx, tenantId: string, ids: readonly string[]): Promise<void> {
    const unknown = await unknownUsers(tx, tenantId, ids);
    if (unknown.length > 0)
      throw invalidValue(`No provisioned User ${JSON.stringify(unknown[0].slice(0, 100))}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ''}.`);
  }

  /** Group names are not personal data; members appear by id. */
  private record(
    tx: Tx,
    service: ServicePrincipal,
    groupId: string,
    change: 'CREATED' | 'UPDATED' | 'DELETED',
    facts: { displayName: string; externalId: string | null; added: string[]; removed: string[]; renamed: boolean },
  ) {
    return this.audit.append(tx, service.tenantId, {
      action: 'SCIM_GROUP_CHANGED',
      actorId: service.serviceAccountId,
      details: {
        change,
        groupId,
        displayName: facts.displayName,
        ...(facts.externalId ? { externalId: facts.externalId } : {}),
        added: facts.added,
        removed: facts.removed,
        ...(facts.renamed ? { renamed: true } : {}),
        source: 'scim',
        serviceAccountId: service.serviceAccountId,
      },
    });
  }
}

/** Member ids as PostgreSQL writes uuids, so a client's upper-case ids match. */
function normalised(group: GroupAttributes): GroupAttributes {
  return { ...group, members: [...new Set(group.members.map((id) => id.toLowerCase()))] };
}
