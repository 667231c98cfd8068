'use client';

import type { SignInOptions, SsoError } from '@retract/contracts';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { format, formatWait } from '../../../i18n/format';
import { fieldName, readProblem, type ProblemDetails } from '../../../lib/problem';
import { EMAIL, isTenantSlug } from './login-rules';
import { fieldText } from '../../../lib/form-fields';

type Field = 'tenant' | 'email' | 'password';
type FieldErrors = Partial<Record<Field, string>>;
const FIELDS: readonly Field[] = ['tenant', 'email', 'password'];

type Alert =
  | { kind: 'credentials' | 'fields' | 'disabled' | 'unavailable' | 'rateLimitedNoWait' | 'retryNow' | 'ssoRequired' }
  | { kind: 'sso'; code: SsoError }
  | { kind: 'rateLimited'; seconds: number }
  | { kind: 'unexpected'; status: number };

interface Props {
  locale: string;
  /** Same-origin path to open after signing in (already checked by the server). */
  next: string;
  initialTenant: string;
  /** Why the last sign-in through the organisation's provider did not complete (the API's redirect back). */
  ssoError: SsoError | null;
  t: Dictionary['login'];
  units: Dictionary['duration'];
}

const required = (field: Field, t: Props['t']) => format(t.fieldRequired, { field: t[field].toLowerCase() });

function validate(values: Record<Field, string>, t: Props['t']): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.tenant) errors.tenant = required('tenant', t);
  else if (!isTenantSlug(values.tenant)) errors.tenant = t.fieldTenant;
  if (!values.email) errors.email = required('email', t);
  else if (values.email.length > 254 || !EMAIL.test(values.email)) errors.email = t.fieldEmail;
  if (!values.password) errors.password = required('password', t);
  else if (values.password.length > 1024) errors.password = t.fieldTooLong;
  return errors;
}

/** Field errors of a VALIDATION_FAILED problem, in the page's language where the code is known. */
function fieldErrorsFrom(problem: ProblemDetails, t: Props['t']): FieldErrors {
  const errors: FieldErrors = {};
  for (const error of problem.errors ?? []) {
    const field = fieldName(error.field) as Field;
    if (!FIELDS.includes(field) || errors[field]) continue;
    const code = error.code.toLowerCase();
    if (code === 'too_small' || code === 'required' || code === 'invalid_type') errors[field] = required(field, t);
    else if (code === 'too_big') errors[field] = t.fieldTooLong;
    else if (code === 'invalid_format' || code === 'invalid_string')
      errors[field] = field === 'tenant' ? t.fieldTenant : field === 'email' ? t.fieldEmail : t.fieldInvalid;
    else errors[field] = error.message || t.fieldInvalid;
  }
  return errors;
}

/** How the organisation typed so far signs in (docs/identity.md, "How sign-in works"); null until known. */
function useSignInOptions(tenant: string): (SignInOptions & { slug: string }) | null {
  const [fetched, setFetched] = useState<(SignInOptions & { slug: string }) | null>(null);
  const slug = tenant.trim().toLowerCase();
  const valid = isTenantSlug(slug);
  useEffect(() => {
    if (!valid) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      fetch(`/api/v1/auth/sso/${encodeURIComponent(slug)}/options`, { signal: controller.signal, headers: { accept: 'application/json' } })
        .then((res) => (res.ok ? (res.json() as Promise<SignInOptions>) : null))
        .then((body) => setFetched(body ? { ...body, slug } : null))
        // Unreachable or aborted: the password form stays, and submitting it says what is wrong.
        .catch(() => undefined);
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [slug, valid]);
  // Options of an organisation typed earlier are not this one's.
  return valid && fetched?.slug === slug ? fetched : null;
}

export function LoginForm({ locale, next, initialTenant, ssoError, t, units }: Props) {
  const [pending, setPending] = useState(false);
  const [alert, setAlert] = useState<Alert | null>(ssoError ? { kind: 'sso', code: ssoError } : null);
  const [tenant, setTenant] = useState(initialTenant);
  const [showPassword, setShowPassword] = useState(false);
  const options = useSignInOptions(tenant);
  const sso = options?.sso ? { start: `/api/v1/auth/sso/${encodeURIComponent(options.slug)}/start`, provider: options.providerName ?? options.slug } : null;
  // Without passwords for non-administrators, the password form waits behind "Administrator?".
  const passwordShown = !sso || options?.passwordLogin === true || showPassword;
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [remaining, setRemaining] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  // Counts down a 429's Retry-After; the submit button stays disabled until it reaches zero.
  useEffect(() => {
    if (retryAt === null) return;
    const tick = () => {
      const left = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      setRemaining(left);
      if (left === 0) {
        setRetryAt(null);
        setAlert((current) => (current?.kind === 'rateLimited' ? { kind: 'retryNow' } : current));
      }
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [retryAt]);

  function focusField(field: Field) {
    const input = formRef.current?.elements.namedItem(field);
    if (input instanceof HTMLInputElement) input.focus();
  }

  function showFieldErrors(errors: FieldErrors) {
    setFieldErrors(errors);
    setAlert({ kind: 'fields' });
    const firstInvalid = FIELDS.find((f) => errors[f]);
    if (firstInvalid) focusField(firstInvalid);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending || remaining > 0) return;
    if (sso && !passwordShown) {
      window.location.assign(sso.start);
      return;
    }
    const form = event.currentTarget;
    const data = new FormData(form);
    const values: Record<Field, string> = {
      tenant: fieldText(data, 'tenant').trim().toLowerCase(),
      email: fieldText(data, 'email').trim(),
      password: fieldText(data, 'password'),
    };

    const errors = validate(values, t);
    if (Object.keys(errors).length > 0) {
      showFieldErrors(errors);
      return;
    }

    setPending(true);
    setAlert(null);
    setFieldErrors({});
    let res: Response;
    try {
      res = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
        // A cookie session: the API sets the httpOnly cookie and leaves the token out of the answer.
        body: JSON.stringify({ ...values, session: 'cookie' }),
      });
    } catch {
      setPending(false);
      setAlert({ kind: 'unavailable' });
      return;
    }

    if (res.ok) {
      // After an administrator's reset, a new password comes first (docs/architecture.md, "Who can do what").
      const body = (await res.json().catch(() => null)) as { user?: { mustChangePassword?: boolean } } | null;
      // A full navigation: the server renders the console with the new session cookie.
      window.location.assign(body?.user?.mustChangePassword ? `/change-password?next=${encodeURIComponent(next)}` : next);
      return;
    }

    const problem = await readProblem(res);
    setPending(false);
    if (problem.status === 401) {
      setAlert({ kind: 'credentials' });
      const password = form.elements.namedItem('password');
      if (password instanceof HTMLInputElement) password.value = '';
      focusField('password');
    } else if (problem.status === 429) {
      if (problem.retryAfterSeconds && problem.retryAfterSeconds > 0) {
        setRemaining(problem.retryAfterSeconds);
        setRetryAt(Date.now() + problem.retryAfterSeconds * 1000);
        setAlert({ kind: 'rateLimited', seconds: problem.retryAfterSeconds });
      } else {
        setAlert({ kind: 'rateLimitedNoWait' });
      }
    } else if (problem.status === 400 && problem.errors?.length) {
      showFieldErrors(fieldErrorsFrom(problem, t));
    } else if (problem.status === 403 && problem.code === 'SSO_REQUIRED') {
      setAlert({ kind: 'ssoRequired' });
    } else if (problem.status === 403) {
      setAlert({ kind: 'disabled' });
    } else if (problem.status >= 500) {
      setAlert({ kind: 'unavailable' });
    } else {
      setAlert({ kind: 'unexpected', status: problem.status });
    }
  }

  let message = '';
  switch (alert?.kind) {
    case 'credentials':
      message = t.invalidCredentials;
      break;
    case 'fields':
      message = t.checkFields;
      break;
    case 'disabled':
      message = t.accountDisabled;
      break;
    case 'unavailable':
      message = t.unavailable;
      break;
    case 'rateLimitedNoWait':
      message = t.tooManyAttemptsLater;
      break;
    case 'rateLimited':
      // Fixed at the moment of the refusal: a live region must not re-announce every second.
      message = format(t.tooManyAttempts, { wait: formatWait(locale, units, alert.seconds) });
      break;
    case 'retryNow':
      message = t.canRetryNow;
      break;
    case 'unexpected':
      message = format(t.unexpected, { status: alert.status });
      break;
    case 'ssoRequired':
      message = format(t.ssoRequired, { provider: sso?.provider ?? '' });
      break;
    case 'sso':
      message = t.ssoErrors[alert.code];
      break;
  }

  const describedBy = (field: Field, hint?: boolean) =>
    [hint ? `${id}-${field}-hint` : '', fieldErrors[field] ? `${id}-${field}-error` : ''].filter(Boolean).join(' ') || undefined;

  const input = (
    field: Field,
    type: string,
    autoComplete: string,
    extra: { hint?: string; autoFocus?: boolean; defaultValue?: string; onChange?: (value: string) => void } = {},
  ) => (
    <div className={`field${fieldErrors[field] ? ' field--invalid' : ''}`}>
      <label htmlFor={`${id}-${field}`} className="field__label">
        {t[field]}
      </label>
      {extra.hint ? (
        <p id={`${id}-${field}-hint`} className="field__hint">
          {extra.hint}
        </p>
      ) : null}
      <input
        id={`${id}-${field}`}
        name={field}
        type={type}
        className="field__input"
        autoComplete={autoComplete}
        autoCapitalize={field === 'password' ? undefined : 'none'}
        spellCheck={false}
        required
        autoFocus={extra.autoFocus}
        defaultValue={extra.defaultValue}
        onChange={extra.onChange ? (event) => extra.onChange?.(event.target.value) : undefined}
        aria-invalid={fieldErrors[field] ? true : undefined}
        aria-describedby={describedBy(field, Boolean(extra.hint))}
        data-testid={`login-${field}`}
      />
      {fieldErrors[field] ? (
        <p id={`${id}-${field}-error`} className="field__error" data-testid={`login-${field}-error`}>
          {fieldErrors[field]}
        </p>
      ) : null}
    </div>
  );

  const waiting = remaining > 0;
  const isInfo = alert?.kind === 'retryNow';
  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} noValidate>
      <div className={`form__alert${message ? (isInfo ? ' form__alert--info' : ' form__alert--error') : ''}`} role="alert" data-testid="login-alert">
        {message && !isInfo ? <strong className="form__alert-title">{t.errorHeading}</strong> : null}
        {message ? <span>{message}</span> : null}
      </div>
      {input('tenant', 'text', 'organization', {
        hint: t.tenantHint,
        autoFocus: !initialTenant,
        defaultValue: initialTenant,
        onChange: setTenant,
      })}
      {sso ? (
        <div className="stack stack--tight" data-testid="login-sso">
          <a className="button button--primary button--block" href={sso.start}>
            {format(t.ssoContinue, { provider: sso.provider })}
          </a>
          {options?.passwordLogin ? (
            <p className="muted">{t.ssoDivider}</p>
          ) : (
            <>
              <p className="muted">{format(t.ssoOnlyAdminsPassword, { provider: sso.provider })}</p>
              {showPassword ? null : (
                <button type="button" className="button button--quiet button--block" onClick={() => setShowPassword(true)}>
                  {t.ssoShowPassword}
                </button>
              )}
            </>
          )}
        </div>
      ) : null}
      {passwordShown ? (
        <>
          {input('email', 'email', 'username', { autoFocus: Boolean(initialTenant) && !sso })}
          {input('password', 'password', 'current-password')}
          <button
            type="submit"
            className={sso ? 'button button--block' : 'button button--primary button--block'}
            disabled={pending || waiting}
            aria-busy={pending}
          >
            {pending ? t.submitting : waiting ? format(t.retryIn, { wait: formatWait(locale, units, remaining) }) : t.submit}
          </button>
        </>
      ) : null}
    </form>
  );
}
