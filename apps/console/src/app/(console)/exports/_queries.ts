import 'server-only';
import { AuditListSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { requireSection } from '../../../lib/sections';

/** The latest exports (EXPORT_CREATED entries) and the log's size, for a compliance officer. */
export async function loadExports() {
  await requireSection('exports');
  const [recent, newest] = await Promise.all([
    apiFetch('/api/v1/audit?action=EXPORT_CREATED&limit=10', AuditListSchema),
    apiFetch('/api/v1/audit?limit=1', AuditListSchema),
  ]);
  return { recent, logSize: newest.ok ? (newest.data.items[0]?.seq ?? -1) + 1 : 0 };
}
