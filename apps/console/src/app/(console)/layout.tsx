import type { ReactNode } from 'react';
import { Brand, SkipLink } from '../../components/brand';
import { ConsoleStringsProvider } from '../../components/console-strings';
import { LocaleSwitcher } from '../../components/locale-switcher';
import { localeOptions } from '../../components/locale-options';
import { LogoutButton } from '../../components/logout-button';
import { NavLinks } from '../../components/nav-links';
import { SessionKeeper } from '../../components/session-keeper';
import { getI18n } from '../../i18n/locale';
import { requireSession } from '../../lib/session';

/**
 * The signed-in shell. It waits for /api/v1/me before rendering anything, so a signed-out
 * visitor gets a redirect to /login and never a glimpse of the console. The navigation is the
 * user's CASL ability applied to NAV_ITEMS, the same rules the API enforces.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { me, navigation } = await requireSession();
  const { locale, dict } = await getI18n();
  const links = navigation.map((item) => ({ href: item.href, label: dict.nav[item.key] }));

  return (
    <div className="shell">
      <SkipLink label={dict.common.skipToContent} />
      <aside className="shell__sidebar">
        <Brand name={dict.common.brand} inverse />
        <nav aria-label={dict.shell.primaryNav} className="nav" data-testid="primary-nav">
          <NavLinks items={links} />
        </nav>
      </aside>
      <div className="shell__body">
        <header className="shell__header">
          <div className="shell__tenant">
            <span className="visually-hidden">{dict.shell.tenant}: </span>
            <span className="shell__tenant-name" data-testid="tenant-name">
              {me.tenant.name}
            </span>
            <span className="shell__tenant-slug">{me.tenant.slug}</span>
          </div>
          <div className="shell__account">
            <section className="user" aria-label={dict.shell.account}>
              <span className="user__avatar" aria-hidden="true">
                {me.displayName.trim().charAt(0).toUpperCase() || '?'}
              </span>
              <span className="user__text">
                <span className="user__name" data-testid="user-name" title={me.email}>
                  {me.displayName}
                </span>
                <span className="user__roles" data-testid="user-roles">
                  <span className="visually-hidden">{dict.shell.roles}: </span>
                  {me.roles.map((role) => dict.roles[role]).join(' · ')}
                </span>
              </span>
            </section>
            <LocaleSwitcher current={locale} label={dict.locale.label} options={localeOptions(dict)} persist={{ failed: dict.locale.saveFailed }} />
            <LogoutButton label={dict.shell.logout} pendingLabel={dict.shell.loggingOut} failedLabel={dict.shell.logoutFailed} />
          </div>
        </header>
        <main id="main" className="shell__main" tabIndex={-1}>
          <ConsoleStringsProvider value={{ locale, problems: dict.problems, duration: dict.duration, common: dict.common }}>{children}</ConsoleStringsProvider>
        </main>
      </div>
      <SessionKeeper />
    </div>
  );
}
