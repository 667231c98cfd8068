import { SSO_ERRORS, type SsoError } from '@retract/contracts';
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getI18n } from '../../../i18n/locale';
import { safeNextPath } from '../../../lib/next-path';
import { firstParam, type SearchParams } from '../../../lib/search-params';
import { getSession, type Session } from '../../../lib/session';
import { LoginForm } from './login-form';
import { isTenantSlug } from './login-rules';
import { SsoContinue } from './sso-continue';

const isSsoError = (value: string | undefined): value is SsoError => (SSO_ERRORS as readonly string[]).includes(value ?? '');

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.login.pageTitle };
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNextPath(firstParam(params.next));
  const tenant = firstParam(params.tenant);
  const ssoError = firstParam(params.ssoError);

  let session: Session | null = null;
  try {
    session = await getSession();
  } catch {
    // API unreachable: show the form; submitting it reports the outage in words.
  }
  if (session) redirect(next);

  const { locale, dict } = await getI18n();
  if (firstParam(params.sso) === 'signed-in') {
    return (
      <main id="main" className="auth__main" tabIndex={-1}>
        <div className="auth__card card">
          <h1 className="auth__title">{dict.login.title}</h1>
          <SsoContinue next={next} label={dict.login.ssoSigningIn} />
        </div>
      </main>
    );
  }
  return (
    <main id="main" className="auth__main" tabIndex={-1}>
      <div className="auth__card card">
        <h1 className="auth__title">{dict.login.title}</h1>
        <p className="muted">{dict.login.intro}</p>
        {firstParam(params.ended) === 'session' ? (
          <p className="form__alert form__alert--info" role="status" data-testid="session-ended">
            {dict.login.sessionEnded}
          </p>
        ) : null}
        <LoginForm
          locale={locale}
          next={next}
          initialTenant={tenant && isTenantSlug(tenant) ? tenant : ''}
          ssoError={isSsoError(ssoError) ? ssoError : null}
          t={dict.login}
          units={dict.duration}
        />
      </div>
    </main>
  );
}
