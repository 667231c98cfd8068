import type { ReactNode } from 'react';
import { LocaleSwitcher } from '../../components/locale-switcher';
import { localeOptions } from '../../components/locale-options';
import { getI18n } from '../../i18n/locale';

/** Pages for signed-out users: a centred card under the product name, with the language picker. */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const { locale, dict } = await getI18n();
  return (
    <div className="auth">
      <a href="#main" className="skip-link">
        {dict.common.skipToContent}
      </a>
      <header className="auth__header">
        <p className="brand">
          <span className="brand__mark" aria-hidden="true">
            R
          </span>
          <span className="brand__name">{dict.common.brand}</span>
          <span className="brand__product">{dict.common.product}</span>
        </p>
        <LocaleSwitcher current={locale} label={dict.locale.label} options={localeOptions(dict)} />
      </header>
      {children}
    </div>
  );
}
