import 'server-only';
import { SsoSettingsViewSchema, type SsoSettingsView } from '@retract/contracts';
import { apiFetch, type ApiResult } from '../../../lib/api';
import { requireSection } from '../../../lib/sections';

/** The organisation's provider (ADMIN), never its client secret; `null` data when none is configured yet (404). */
export async function loadSsoSettings(): Promise<ApiResult<SsoSettingsView | null>> {
  await requireSection('sso');
  const result = await apiFetch('/api/v1/sso', SsoSettingsViewSchema);
  if (!result.ok && result.status === 404) return { ok: true, status: 200, data: null };
  return result;
}
