import 'server-only';
import { ServiceAccountListSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { requireSection } from '../../../lib/sections';

/** The organisation's service accounts, revoked ones included (ADMIN); tokens are never part of it. */
export async function loadServiceAccounts() {
  await requireSection('serviceAccounts');
  return apiFetch('/api/v1/service-accounts', ServiceAccountListSchema);
}
