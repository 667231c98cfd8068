import { Injectable } from '@nestjs/common';
import type { Tx } from '@retract/db';
import {
  ScimError,
  applyUserPatch,
  ifMatchHolds,
  listResponse,
  pageWindow,
  parseEqualityFilter,
  patchOperations,
  toScimUser,
  USER_FILTER_ATTRIBUTES,
  userFromResource,
  type ScimListQuery,
  type ScimPatchRequest,
  type ScimUserRequest,
  type ScimUserResource,
  type UserAttributes,
} from '@retract/scim';
import type { ServicePrincipal } from '../../common/auth/service-accounts';
import { TenantDb } from '../../common/database/database.module';
import { AuditLog } from '../audit/audit-log';
import { RoleGrants } from '../role-grants/role-grants.service';
import { assertNotLastHolder } from '../users/last-holders';
import { applyGroupRoles, groupsBefore } from './scim-roles';
import { findScimUser, listScimUsers, lockUserNames, noSuch, userNameTaken, type ScimUserRow } from './scim-store';

const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
const preconditionFailed = () => new ScimError(412, undefined, 'The resource changed since the version named in If-Match; read it again.');

/**
 * /scim/v2/Users (docs/identity.md, "SCIM provisioning"): people provisioned by the organisation's
 * identity provider through a service account with the `scim` scope. Every change is audited with
 * the service account as actor; deactivation (active=false, or DELETE) ends the person's sessions,
 * and so their live event streams, at once.
 */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
    private readonly grants: RoleGrants,
  ) {}

  list(service: ServicePrincipal, query: ScimListQuery, baseUrl: string) {
    const where = query.filter ? parseEqualityFilter(query.filter, USER_FILTER_ATTRIBUTES) : null;
    const page = pageWindow(query.startIndex, query.count);
    return this.tenantDb.run(service, async (tx) => {
      const { total, users } = await listScimUsers(tx, service.tenantId, where, page.offset, page.limit);
      return listResponse(
        users.map((user) => toScimUser(user, baseUrl)),
        total,
        page.startIndex,
      );
    });
  }

  get(service: ServicePrincipal, id: string, baseUrl: string): Promise<ScimUserResource> {
    return this.tenantDb.run(service, async (tx) => {
      const user = await findScimUser(tx, service.tenantId, id.toLowerCase());
      if (!user) throw noSuch('User', id);
      return toScimUser(user, baseUrl);
    });
  }

  /**
   * A new person, or the organisation's existing account with that email, which is linked (as a
   * first single sign-on links one): the organisation made the provider authoritative for its people.
   */
  create(service: ServicePrincipal, request: ScimUserRequest, baseUrl: string): Promise<ScimUserResource> {
    const wanted = userFromResource(request);
    const { tenantId } = service;
    return this.tenantDb.run(service, async (tx) => {
      await lockUserNames(tx, tenantId);
      if (await userNameTaken(tx, tenantId, wanted.userName, null)) throw uniqueness(`A User with userName ${JSON.stringify(wanted.userName)} exists.`);
      const existing = await tx.user.findFirst({ where: { tenantId, email: wanted.email } });
      let id: string;
      if (existing) {
        if (await tx.scimUser.findFirst({ where: { tenantId, userId: existing.id } })) throw uniqueness('Another provisioned User has this email.');
        if (existing.erasedAt) throw new ScimError(409, undefined, 'This person was erased; their account cannot be provisioned again.');
        await tx.scimUser.create({ data: { tenantId, userId: existing.id, userName: wanted.userName, externalId: wanted.externalId } });
        await this.audit.append(tx, tenantId, {
          action: 'SSO_USER_LINKED',
          actorId: service.serviceAccountId,
          subjectUserId: existing.id,
          details: { via: 'SCIM', serviceAccountId: service.serviceAccountId },
          personal: { userName: wanted.userName, ...(wanted.externalId ? { externalId: wanted.externalId } : {}) },
        });
        const linked = (await findScimUser(tx, tenantId, existing.id, true))!;
        await this.change(tx, service, linked, wanted);
        id = existing.id;
      } else {
        const tenant = await tx.tenant.findFirst({ where: { id: tenantId }, select: { locale: true } });
        const user = await tx.user.create({
          data: {
            tenantId,
            email: wanted.email,
            displayName: wanted.displayName,
            roles: ['EMPLOYEE'],
            locale: tenant?.locale ?? 'en',
            passwordHash: null,
            active: wanted.active,
          },
        });
        await tx.scimUser.create({ data: { tenantId, userId: user.id, userName: wanted.userName, externalId: wanted.externalId } });
        await this.audit.append(tx, tenantId, {
          action: 'USER_CREATED',
          actorId: service.serviceAccountId,
          subjectUserId: user.id,
          details: { roles: user.roles, locale: user.locale, active: user.active, via: 'SCIM', serviceAccountId: service.serviceAccountId },
          personal: { email: user.email, userName: wanted.userName, ...(wanted.externalId ? { externalId: wanted.externalId } : {}) },
        });
        id = user.id;
      }
      return toScimUser((await findScimUser(tx, tenantId, id))!, baseUrl);
    });
  }

  replace(service: ServicePrincipal, id: string, ifMatch: string | undefined, request: ScimUserRequest, baseUrl: string): Promise<ScimUserResource> {
    const wanted = userFromResource(request);
    return this.modify(service, id, ifMatch, baseUrl, () => wanted);
  }

  patch(service: ServicePrincipal, id: string, ifMatch: string | undefined, request: ScimPatchRequest, baseUrl: string): Promise<ScimUserResource> {
    const operations = patchOperations(request);
    return this.modify(service, id, ifMatch, baseUrl, (current) => applyUserPatch(current, operations));
  }

  /**
   * SCIM's DELETE: the person is deactivated (sessions end), leaves every group (roles follow) and
   * is no longer a provisioned User (GET answers 404), audited as DIRECTORY_PERSON_CHANGED DEPROVISIONED. The account itself stays: the audit log and
   * the messages refer to it; erasure is compliance's decision (docs/audit-log.md, "Personal data").
   */
  async remove(service: ServicePrincipal, id: string, ifMatch: string | undefined, baseUrl: string): Promise<void> {
    const { tenantId } = service;
    await this.tenantDb.run(service, async (tx) => {
      const current = await this.locked(tx, service, id, ifMatch, baseUrl);
      await this.change(tx, service, current, { ...current, active: false }, { deprovisioned: true });
      const before = await groupsBefore(tx, tenantId, [current.id]);
      await tx.scimGroupMember.deleteMany({ where: { tenantId, userId: current.id } });
      await applyGroupRoles(tx, this.audit, this.grants, service, before);
      await tx.scimUser.delete({ where: { tenantId_userId: { tenantId, userId: current.id } } });
      // Recorded also when the person was already deactivated: the unlinking itself is a change.
      await this.audit.append(tx, tenantId, {
        action: 'DIRECTORY_PERSON_CHANGED',
        actorId: service.serviceAccountId,
        subjectUserId: current.id,
        details: { change: 'DEPROVISIONED', source: 'scim', serviceAccountId: service.serviceAccountId, fields: [] },
        personal: { userName: current.userName, ...(current.externalId ? { externalId: current.externalId } : {}) },
      });
    });
  }

  private modify(
    service: ServicePrincipal,
    id: string,
    ifMatch: string | undefined,
    baseUrl: string,
    next: (current: UserAttributes) => UserAttributes,
  ): Promise<ScimUserResource> {
    return this.tenantDb.run(service, async (tx) => {
      const current = await this.locked(tx, service, id, ifMatch, baseUrl);
      await this.change(tx, service, current, next(current));
      return toScimUser((await findScimUser(tx, service.tenantId, current.id))!, baseUrl);
    });
  }

  /** The user, locked, when the If-Match header names its current version (412 otherwise). */
  private async locked(tx: Tx, service: ServicePrincipal, id: string, ifMatch: string | undefined, baseUrl: string): Promise<ScimUserRow> {
    const current = await findScimUser(tx, service.tenantId, id.toLowerCase(), true);
    if (!current) throw noSuch('User', id);
    if (!ifMatchHolds(ifMatch, toScimUser(current, baseUrl).meta.version)) throw preconditionFailed();
    return current;
  }

  /** Writes what changed and audits it: profile fields, then deactivation or reactivation. */
  private async change(
    tx: Tx,
    service: ServicePrincipal,
    current: ScimUserRow,
    wanted: UserAttributes,
    extra: { deprovisioned?: boolean } = {},
  ): Promise<void> {
    const { tenantId } = service;
    const fields = (['userName', 'externalId', 'displayName', 'email'] as const).filter((field) => wanted[field] !== current[field]);
    const activeChanged = wanted.active !== current.active;
    if (fields.length === 0 && !activeChanged) return;
    if (current.erased) throw new ScimError(409, undefined, 'This person was erased; their account cannot change.');
    if (fields.includes('userName')) {
      await lockUserNames(tx, tenantId);
      if (await userNameTaken(tx, tenantId, wanted.userName, current.id)) throw uniqueness(`A User with userName ${JSON.stringify(wanted.userName)} exists.`);
    }
    if (fields.includes('email') && (await tx.user.findFirst({ where: { tenantId, email: wanted.email, id: { not: current.id } }, select: { id: true } }))) {
      throw uniqueness('Another person of the organisation has this email.');
    }
    if (activeChanged && !wanted.active) await assertNotLastHolder(tx, tenantId, { id: current.id, roles: current.roles, active: true });
    await tx.scimUser.update({
      where: { tenantId_userId: { tenantId, userId: current.id } },
      data: { userName: wanted.userName, externalId: wanted.externalId },
    });
    await tx.user.update({
      where: { tenantId_id: { tenantId, id: current.id } },
      data: { displayName: wanted.displayName, email: wanted.email, active: wanted.active, updatedAt: new Date() },
    });
    const by = { via: 'SCIM', serviceAccountId: service.serviceAccountId };
    if (fields.length > 0) {
      await this.audit.append(tx, tenantId, {
        action: 'DIRECTORY_PERSON_CHANGED',
        actorId: service.serviceAccountId,
        subjectUserId: current.id,
        details: { change: 'UPDATED', source: 'scim', serviceAccountId: service.serviceAccountId, fields: [...fields] },
        personal: Object.fromEntries(fields.map((field) => [field, wanted[field]])),
      });
    }
    if (activeChanged && !wanted.active) {
      // Sessions end in this transaction; their revocation notifies every replica, whose event hubs end the person's streams.
      await tx.session.updateMany({ where: { tenantId, userId: current.id, revokedAt: null }, data: { revokedAt: new Date() } });
      await this.audit.append(tx, tenantId, {
        action: 'USER_DEACTIVATED',
        actorId: service.serviceAccountId,
        subjectUserId: current.id,
        details: { ...by, ...extra },
      });
    }
    if (activeChanged && wanted.active) {
      await this.audit.append(tx, tenantId, { action: 'USER_REACTIVATED', actorId: service.serviceAccountId, subjectUserId: current.id, details: by });
    }
  }
}
