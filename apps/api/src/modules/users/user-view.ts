import type { Locale, ManagedUserView, MeView, UserView } from '@retract/contracts';
import type { Tenant, User, UserRole } from '@retract/db';

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles,
    locale: user.locale as Locale,
    active: user.active,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toMeView(user: User, tenant: Tenant): MeView {
  return { ...toUserView(user), tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, locale: tenant.locale as Locale } };
}

export function toManagedUserView(user: User, pendingRoles: readonly UserRole[]): ManagedUserView {
  return { ...toUserView(user), pendingRoles: [...pendingRoles] };
}
