import type { Action, AppAbility, SubjectName } from './abilities';

export interface NavItem {
  key:
    | 'home'
    | 'messages'
    | 'policy'
    | 'users'
    | 'people'
    | 'audit'
    | 'cases'
    | 'integrity'
    | 'exports'
    | 'legalHolds'
    | 'insights'
    | 'webhooks'
    | 'serviceAccounts'
    | 'sso';
  href: string;
  requires: [Action, SubjectName];
}

/** Console sections and the ability each needs; the console shows only those the user can use. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'home', href: '/', requires: ['read', 'Me'] },
  { key: 'messages', href: '/messages', requires: ['create', 'Message'] },
  { key: 'policy', href: '/policy', requires: ['update', 'Policy'] },
  { key: 'users', href: '/users', requires: ['read', 'User'] },
  { key: 'webhooks', href: '/webhooks', requires: ['read', 'Webhook'] },
  { key: 'serviceAccounts', href: '/service-accounts', requires: ['read', 'ServiceAccount'] },
  { key: 'sso', href: '/sso', requires: ['update', 'SsoSettings'] },
  { key: 'people', href: '/people', requires: ['read', 'Person'] },
  { key: 'audit', href: '/audit', requires: ['readContent', 'AuditEntry'] },
  { key: 'cases', href: '/cases', requires: ['readContent', 'AuditEntry'] },
  { key: 'integrity', href: '/integrity', requires: ['verify', 'AuditEntry'] },
  { key: 'exports', href: '/exports', requires: ['export', 'AuditEntry'] },
  { key: 'legalHolds', href: '/legal-holds', requires: ['read', 'LegalHold'] },
  { key: 'insights', href: '/insights', requires: ['read', 'Insights'] },
];

export function navigationFor(ability: AppAbility): NavItem[] {
  return NAV_ITEMS.filter((item) => ability.can(item.requires[0], item.requires[1]));
}
