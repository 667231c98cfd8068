import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import { SsoSettingsForm } from './sso-settings-form';
import { loadSsoSettings } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.sso.title };
}

/** The organisation's OpenID Connect provider (docs/identity.md, "Configure a provider"). */
export default async function SsoPage() {
  const settings = await loadSsoSettings();
  const { locale, dict } = await getI18n();
  return (
    <>
      <PageHeader title={dict.sso.title} lead={dict.sso.lead} />
      {settings.ok ? (
        <SsoSettingsForm locale={locale} current={settings.data} t={dict.sso} roles={dict.roles} table={dict.table} />
      ) : (
        <ServerProblem problem={settings.problem} />
      )}
    </>
  );
}
