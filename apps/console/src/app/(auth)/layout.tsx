import type { ReactNode } from 'react';
import { Brand, SkipLink } from '../../components/brand';
import { LocaleSwitcher } from '../../components/locale-switcher';
import { localeOptions } from '../../components/locale-options';
import { getI18n } from '../../i18n/locale';

/** Pages for signed-out users: a centred card under the product name, with the language picker. */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const { locale, dict } = await getI18n();
  return (
    <div className="auth">
      <SkipLink label={dict.common.skipToContent} />
      <header className="auth__header">
        <Brand name={dict.common.brand} product={dict.common.product} />
        <LocaleSwitcher current={locale} label={dict.locale.label} options={localeOptions(dict)} />
      </header>
      {children}
    </div>
  );
}
