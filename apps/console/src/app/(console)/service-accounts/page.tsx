import { SERVICE_ACCOUNT_SCOPES } from '@retract/contracts';
import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import { CreateServiceAccount, ServiceAccountList } from './service-accounts-client';
import { loadServiceAccounts } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.serviceAccounts.title };
}

/** Service accounts of integrated chat systems (docs/integration.md, "Console"). */
export default async function ServiceAccountsPage() {
  const accounts = await loadServiceAccounts();
  const { locale, dict } = await getI18n();
  const t = dict.serviceAccounts;
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <div className="stack">
        {accounts.ok ? (
          <ServiceAccountList locale={locale} accounts={accounts.data.items} t={t} table={dict.table} />
        ) : (
          <ServerProblem problem={accounts.problem} />
        )}
        <CreateServiceAccount scopes={SERVICE_ACCOUNT_SCOPES} t={t} table={dict.table} />
      </div>
    </>
  );
}
