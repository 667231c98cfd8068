import 'server-only';
import { RoleGrantListSchema, UserListSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { textParam } from '../../../lib/params';
import { firstParam } from '../../../lib/search-params';
import { requireSection } from '../../../lib/sections';

export const USERS_PAGE_SIZE = 25;
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;

export interface UsersParams {
  q?: string;
  cursor?: string;
  /** Cursors of earlier pages ('~' = the first page), so "Previous" can step back. */
  trail: string[];
}

export function parseUsersParams(params: Record<string, string | string[] | undefined>): UsersParams {
  const cursor = firstParam(params.cursor);
  const trail = (firstParam(params.trail) ?? '')
    .split(',')
    .filter((c) => c === '~' || CURSOR.test(c))
    .slice(-50);
  return { q: textParam(params, 'q'), cursor: cursor && CURSOR.test(cursor) ? cursor : undefined, trail };
}

export async function loadUsers({ q, cursor }: UsersParams) {
  const session = await requireSection('users');
  const users = await apiFetch(withQuery('/api/v1/users', { q, cursor, limit: USERS_PAGE_SIZE }), UserListSchema);
  return { users, me: session.me };
}

/** COMPLIANCE grants waiting for a compliance officer: administrators and compliance officers may read them. */
export function loadRoleGrants() {
  return apiFetch('/api/v1/role-grants', RoleGrantListSchema);
}
