import type { TenantInitializer } from '../tenants/provision-tenant';
import { initialPolicyRow } from './policy-store';

/** A new organisation starts with policy version 1 (the defaults), authored by its first admin. */
export const writeInitialPolicy: TenantInitializer = async (tx, tenantId, adminId) => {
  await tx.policyVersion.create({ data: initialPolicyRow(tenantId, adminId) });
};
