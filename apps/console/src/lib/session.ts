import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { abilityFor, navigationFor, type AppAbility, type NavItem } from '@retract/authz';
import { MeViewSchema, type MeView } from '@retract/contracts';
import { ApiError, apiFetch, SESSION_COOKIE } from './api';
import { loginHref, REQUEST_PATH_HEADER, safeNextPath } from './next-path';

export interface Session {
  me: MeView;
  /** The same CASL ability the API builds for this user (libs/authz). */
  ability: AppAbility;
  /** Console sections this user may use, in navigation order. */
  navigation: NavItem[];
}

/**
 * The signed-in user, loaded from `GET /api/v1/me` at most once per request (React `cache`),
 * however many layouts and pages ask. `null` when there is no session or the API answers 401;
 * any other failure throws, so an unreachable API never looks like "signed out".
 */
export const getSession = cache(async (): Promise<Session | null> => {
  if (!(await cookies()).has(SESSION_COOKIE)) return null;
  const res = await apiFetch('/api/v1/me', MeViewSchema);
  if (!res.ok) {
    if (res.status === 401) return null;
    throw new ApiError('/api/v1/me', res.problem);
  }
  const me = res.data;
  const ability = abilityFor({ userId: me.id, tenantId: me.tenantId, roles: me.roles });
  return { me, ability, navigation: navigationFor(ability) };
});

/** The page this request is for (path and query), as recorded by src/proxy.ts. */
export async function requestedPath(): Promise<string> {
  return (await headers()).get(REQUEST_PATH_HEADER) ?? '/';
}

/**
 * The session, or a redirect to the login page that comes back here afterwards; after an
 * administrator's password reset, a redirect to choosing a new password (the API allows nothing else).
 */
export async function requireSession(): Promise<Session> {
  const session = await getSession();
  // A session cookie the API refuses: the session expired or was ended (sign-out elsewhere, deactivation).
  if (!session) redirect(loginHref(await requestedPath(), (await cookies()).has(SESSION_COOKIE)));
  if (session.me.mustChangePassword) redirect(`/change-password?next=${encodeURIComponent(safeNextPath(await requestedPath()))}`);
  return session;
}
