import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { UsersBrowser } from './users-browser';
import { RoleGrants } from './role-grants';
import { loadRoleGrants, loadUsers, parseUsersParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.users.title };
}

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseUsersParams(await searchParams);
  const [{ users, me }, grants] = await Promise.all([loadUsers(params), loadRoleGrants()]);
  const { locale, dict } = await getI18n();
  return (
    <>
      <PageHeader title={dict.users.title} lead={dict.users.lead} />
      <UsersBrowser
        locale={locale}
        meId={me.id}
        users={users.ok ? users.data.items : []}
        nextCursor={users.ok ? users.data.nextCursor : null}
        params={params}
        problem={users.ok ? null : users.problem}
        t={dict.users}
        table={dict.table}
        roleNames={dict.roles}
      />
      <RoleGrants
        locale={locale}
        meId={me.id}
        grants={grants.ok ? grants.data.items : []}
        canDecide={me.roles.includes('COMPLIANCE')}
        problem={grants.ok ? null : grants.problem}
        t={dict.roleGrants}
        roleNames={dict.roles}
      />
    </>
  );
}
