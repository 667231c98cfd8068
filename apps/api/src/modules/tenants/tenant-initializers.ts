import { writeInitialPolicy } from '../policy/initial-policy';
import type { TenantInitializer } from './provision-tenant';

/** Everything a new organisation needs besides its first admin, in provisioning order. */
export const TENANT_INITIALIZERS: TenantInitializer[] = [writeInitialPolicy];
