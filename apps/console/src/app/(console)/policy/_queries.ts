import 'server-only';
import { PolicyVersionListSchema, PolicyVersionViewSchema, RetentionViewSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { intParam } from '../../../lib/params';
import { requireSection } from '../../../lib/sections';

export const VERSIONS_PAGE_SIZE = 10;

export function parsePolicyParams(params: Record<string, string | string[] | undefined>) {
  return { versionsCursor: intParam(params, 'versions', 2), saved: intParam(params, 'saved', 1) };
}

/** The policy in force, its audit retention and a page of its history, for an administrator. */
export async function loadPolicy({ versionsCursor }: { versionsCursor?: number }) {
  const session = await requireSection('policy');
  const [current, versions, retention] = await Promise.all([
    apiFetch('/api/v1/policy', PolicyVersionViewSchema),
    apiFetch(withQuery('/api/v1/policy/versions', { cursor: versionsCursor, limit: VERSIONS_PAGE_SIZE }), PolicyVersionListSchema),
    apiFetch('/api/v1/policy/retention', RetentionViewSchema),
  ]);
  return { current, versions, retention, canChangeRetention: session.ability.can('update', 'AuditRetention') };
}
