import type { Metadata } from 'next';
import Link from 'next/link';
import { format } from '../../i18n/format';
import { getI18n } from '../../i18n/locale';
import { firstParam, type SearchParams } from '../../lib/search-params';
import { isSectionKey } from '../../lib/sections';
import { requireSession } from '../../lib/session';
import { AdminGlance } from './_home/admin-glance';
import { ComplianceGlance } from './_home/compliance-glance';
import { EmployeeGlance } from './_home/employee-glance';
import { RoleGrants } from './users/role-grants';
import { loadRoleGrants } from './users/_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.home.title };
}

/** Each role's day at a glance (the same abilities as the sections), who is signed in, and a card for every section their roles open. */
export default async function HomePage({ searchParams }: { searchParams: SearchParams }) {
  const { me, navigation, ability } = await requireSession();
  const { locale, dict } = await getI18n();
  // Compliance officers decide pending role grants here: the users section is the administrators'.
  const grants = me.roles.includes('COMPLIANCE') ? await loadRoleGrants() : null;
  const deniedSection = firstParam((await searchParams).denied);
  const sections = navigation.filter((item) => item.key !== 'home');

  return (
    <>
      <header className="page-header">
        <h1 className="page-header__title">{format(dict.home.greeting, { name: me.displayName })}</h1>
        <p className="page-header__lead">{format(dict.home.intro, { tenant: me.tenant.name })}</p>
      </header>

      {isSectionKey(deniedSection) ? (
        <p className="notice notice--warning" role="status" data-testid="access-denied">
          {format(dict.home.denied, { section: dict.nav[deniedSection] })}
        </p>
      ) : null}

      {ability.can('update', 'Policy') ? <AdminGlance locale={locale} dict={dict} /> : null}
      {ability.can('readContent', 'AuditEntry') ? <ComplianceGlance locale={locale} dict={dict} /> : null}
      {ability.can('create', 'Message') ? <EmployeeGlance locale={locale} dict={dict} meId={me.id} /> : null}

      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="card__title">
          {dict.home.profile}
        </h2>
        <dl className="facts" data-testid="profile">
          <div className="facts__row">
            <dt>{dict.home.name}</dt>
            <dd>{me.displayName}</dd>
          </div>
          <div className="facts__row">
            <dt>{dict.home.email}</dt>
            <dd>{me.email}</dd>
          </div>
          <div className="facts__row">
            <dt>{dict.home.tenant}</dt>
            <dd>
              {me.tenant.name} <span className="muted">({me.tenant.slug})</span>
            </dd>
          </div>
          <div className="facts__row">
            <dt>{dict.home.roles}</dt>
            <dd>
              <ul className="badges">
                {me.roles.map((role) => (
                  <li key={role} className="badge">
                    {dict.roles[role]}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        </dl>
      </section>

      {grants ? (
        <RoleGrants
          locale={locale}
          meId={me.id}
          grants={grants.ok ? grants.data.items : []}
          canDecide
          problem={grants.ok ? null : grants.problem}
          t={dict.roleGrants}
          roleNames={dict.roles}
        />
      ) : null}

      <section aria-labelledby="sections-heading" className="home-sections">
        <h2 id="sections-heading" className="section-title">
          {dict.home.sections}
        </h2>
        {sections.length === 0 ? (
          <p className="muted">{dict.home.noSections}</p>
        ) : (
          <ul className="card-grid" data-testid="section-cards">
            {sections.map((item) => (
              <li key={item.key}>
                <Link href={item.href} className="card card--link">
                  <span className="card__title">{dict.nav[item.key]}</span>
                  <span className="card__text">{dict.sections[item.key]}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
