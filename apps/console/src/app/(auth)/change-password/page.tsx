import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getI18n } from '../../../i18n/locale';
import { loginHref, safeNextPath } from '../../../lib/next-path';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { getSession } from '../../../lib/session';
import { ChangePasswordForm } from './change-password-form';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.changePassword.pageTitle };
}

/** After an administrator's reset the API allows nothing but choosing a new password (docs/architecture.md, "Who can do what"). */
export default async function ChangePasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNextPath(firstParam((await searchParams).next));
  const session = await getSession();
  if (!session) redirect(loginHref(next));
  if (!session.me.mustChangePassword) redirect(next);
  const { dict } = await getI18n();
  return (
    <main id="main" className="auth__main" tabIndex={-1}>
      <div className="auth__card card">
        <h1 className="auth__title">{dict.changePassword.title}</h1>
        <p className="muted">{dict.changePassword.intro}</p>
        <ChangePasswordForm next={next} t={dict.changePassword} />
      </div>
    </main>
  );
}
