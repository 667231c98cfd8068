'use client';

import { ROLES, type Role, type SsoSettingsRequest, type SsoSettingsView, type SsoTestResult } from '@retract/contracts';
import { useRouter } from 'next/navigation';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { describedBy, Field } from '../../../components/field';
import { ProblemAlert } from '../../../components/problem-alert';
import { SubmitButton } from '../../../components/submit-button';
import { SuccessNotice } from '../../../components/success-notice';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import { fieldText } from '../../../lib/form-fields';
import type { ProblemDetails } from '../../../lib/problem';
import { useFormProblem } from '../../../lib/use-form-problem';

type T = Dictionary['sso'];
type Mapping = { key: number; group: string; role: Role };

const CALLBACK_PATH = '/api/v1/auth/sso/callback';
const noSubscription = () => () => undefined;

/** Domains as typed: one per line (commas and spaces also separate them), lower case, each once. */
const domainsOf = (text: string) => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
  ),
];

interface Props {
  locale: string;
  current: SsoSettingsView | null;
  t: T;
  roles: Dictionary['roles'];
  table: Dictionary['table'];
}

/**
 * The organisation's OpenID Connect provider (docs/identity.md): what to register at the provider,
 * the settings (the client secret write-only: the API says only whether one is stored), the groups
 * that give roles, and a connection test that shows what the provider's discovery document says.
 */
export function SsoSettingsForm({ locale, current, t, roles, table }: Props) {
  const router = useRouter();
  const { errors, setErrors, problem, setProblem, busy, setBusy, fail } = useFormProblem();
  const [notice, setNotice] = useState<string | null>(null);
  const [issuer, setIssuer] = useState(current?.issuer ?? '');
  const [mappings, setMappings] = useState<Mapping[]>(() => (current?.groupRoles ?? []).map((m, key) => ({ key, ...m })));
  const [nextKey, setNextKey] = useState(mappings.length);
  // Before any provider is saved the API has not said the redirect URI: it is this console's own origin.
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );
  const redirectUri = current?.redirectUri ?? (origin ? `${origin}${CALLBACK_PATH}` : '');
  const postLogoutUri = redirectUri ? redirectUri.replace(CALLBACK_PATH, '/login') : '';

  function changeMapping(key: number, change: Partial<Mapping>) {
    setMappings((rows) => rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => fieldText(data, name).trim();
    const clientSecret = fieldText(data, 'clientSecret');
    const clientId = text('clientId');
    const allowedDomains = domainsOf(text('allowedDomains'));
    const invalid: Record<string, string> = {};
    if (!issuer.trim()) invalid.issuer = t.needIssuer;
    if (!clientId) invalid.clientId = t.needClientId;
    if (!clientSecret && (!current?.clientSecretSet || current.clientId !== clientId)) invalid.clientSecret = t.needSecret;
    if (allowedDomains.length === 0) invalid.allowedDomains = t.needDomain;
    mappings.forEach((m) => {
      if (!m.group.trim()) invalid[`group-${m.key}`] = t.needGroup;
    });
    setErrors(invalid);
    setProblem(null);
    setNotice(null);
    if (Object.keys(invalid).length) return;
    const body: SsoSettingsRequest = {
      issuer: issuer.trim(),
      ...(text('providerName') ? { providerName: text('providerName') } : {}),
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      allowedDomains,
      passwordLogin: data.get('passwordLogin') === 'on',
      enabled: data.get('enabled') === 'on',
      groupRoles: mappings.map((m) => ({ group: m.group.trim(), role: m.role })),
    };
    setBusy(true);
    const res = await callApi<SsoSettingsView>('/api/v1/sso', { method: 'PUT', body });
    setBusy(false);
    if (!res.ok) return fail(res.problem);
    const secret = form.elements.namedItem('clientSecret');
    if (secret instanceof HTMLInputElement) secret.value = '';
    setNotice(t.saved);
    router.refresh();
  }

  return (
    <div className="stack">
      <section className="card" aria-labelledby="sso-register-title">
        <h2 id="sso-register-title" className="card__title">
          {t.registerTitle}
        </h2>
        <p className="muted">{t.registerHint}</p>
        <dl className="facts">
          <div className="facts__row">
            <dt>{t.redirectUri}</dt>
            <dd>
              <code className="hash" data-testid="sso-redirect-uri">
                {redirectUri}
              </code>{' '}
              <CopyButton text={redirectUri} label={table.copy} copiedLabel={table.copied} name={t.copyRedirectUri} />
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t.postLogoutUri}</dt>
            <dd>
              <code className="hash">{postLogoutUri}</code>{' '}
              <CopyButton text={postLogoutUri} label={table.copy} copiedLabel={table.copied} name={t.copyPostLogoutUri} />
            </dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="sso-settings-title">
        <h2 id="sso-settings-title" className="card__title">
          {t.settingsTitle}
        </h2>
        {current ? <p className="muted">{format(t.updatedAt, { date: formatUtc(locale, current.updatedAt) })}</p> : <p className="muted">{t.notConfigured}</p>}
        <form className="stack" onSubmit={onSubmit} noValidate>
          <Field id="sso-issuer" label={t.issuer} hint={t.issuerHint} error={errors.issuer}>
            <input
              id="sso-issuer"
              name="issuer"
              type="url"
              className="field__input"
              value={issuer}
              onChange={(event) => setIssuer(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={2048}
              aria-invalid={errors.issuer ? true : undefined}
              aria-describedby={describedBy('sso-issuer', true, errors.issuer)}
            />
          </Field>
          <ConnectionTest issuer={issuer.trim()} t={t} />
          <Field id="sso-provider-name" label={t.providerName} hint={t.providerNameHint} error={errors.providerName}>
            <input
              id="sso-provider-name"
              name="providerName"
              className="field__input"
              defaultValue={current?.providerName ?? ''}
              maxLength={80}
              autoComplete="off"
              aria-describedby={describedBy('sso-provider-name', true, errors.providerName)}
            />
          </Field>
          <Field id="sso-client-id" label={t.clientId} error={errors.clientId}>
            <input
              id="sso-client-id"
              name="clientId"
              className="field__input"
              defaultValue={current?.clientId ?? ''}
              maxLength={255}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.clientId ? true : undefined}
              aria-describedby={describedBy('sso-client-id', false, errors.clientId)}
            />
          </Field>
          <Field
            id="sso-client-secret"
            label={t.clientSecret}
            hint={current?.clientSecretSet ? t.clientSecretKept : t.clientSecretHint}
            error={errors.clientSecret}
          >
            <input
              id="sso-client-secret"
              name="clientSecret"
              type="password"
              className="field__input"
              maxLength={1024}
              autoComplete="new-password"
              data-testid="sso-client-secret"
              aria-invalid={errors.clientSecret ? true : undefined}
              aria-describedby={describedBy('sso-client-secret', true, errors.clientSecret)}
            />
          </Field>
          <Field id="sso-domains" label={t.allowedDomains} hint={t.allowedDomainsHint} error={errors.allowedDomains}>
            <textarea
              id="sso-domains"
              name="allowedDomains"
              className="field__input"
              rows={3}
              defaultValue={(current?.allowedDomains ?? []).join('\n')}
              spellCheck={false}
              aria-invalid={errors.allowedDomains ? true : undefined}
              aria-describedby={describedBy('sso-domains', true, errors.allowedDomains)}
            />
          </Field>
          <div className="checks checks--column">
            <label className="check">
              <input type="checkbox" name="enabled" defaultChecked={current?.enabled ?? true} />
              {t.enabled}
            </label>
            <label className="check">
              <input type="checkbox" name="passwordLogin" defaultChecked={current?.passwordLogin ?? true} aria-describedby="sso-password-login-hint" />
              {t.passwordLogin}
            </label>
            <p id="sso-password-login-hint" className="field__hint">
              {t.passwordLoginHint}
            </p>
          </div>
          <fieldset className="fieldset" aria-describedby="sso-group-roles-hint">
            <legend>{t.groupRolesTitle}</legend>
            <p id="sso-group-roles-hint" className="field__hint">
              {t.groupRolesHint}
            </p>
            {mappings.length === 0 ? <p className="muted">{t.noMappings}</p> : null}
            <ul className="stack stack--tight" data-testid="sso-group-roles">
              {mappings.map((m) => (
                <li key={m.key} className="form-actions" data-testid="sso-group-role">
                  <Field id={`sso-group-${m.key}`} label={t.group} error={errors[`group-${m.key}`]}>
                    <input
                      id={`sso-group-${m.key}`}
                      className="field__input"
                      value={m.group}
                      maxLength={255}
                      onChange={(event) => changeMapping(m.key, { group: event.target.value })}
                      aria-invalid={errors[`group-${m.key}`] ? true : undefined}
                      aria-describedby={describedBy(`sso-group-${m.key}`, false, errors[`group-${m.key}`])}
                    />
                  </Field>
                  <Field id={`sso-role-${m.key}`} label={t.role}>
                    <select
                      id={`sso-role-${m.key}`}
                      className="field__input"
                      value={m.role}
                      onChange={(event) => changeMapping(m.key, { role: event.target.value as Role })}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {roles[role]}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    onClick={() => setMappings((rows) => rows.filter((row) => row.key !== m.key))}
                  >
                    {format(t.removeMapping, { group: m.group.trim() || t.group })}
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() => {
                setMappings((rows) => [...rows, { key: nextKey, group: '', role: 'EMPLOYEE' }]);
                setNextKey((k) => k + 1);
              }}
            >
              {t.addMapping}
            </button>
          </fieldset>
          <ProblemAlert problem={problem} testId="sso-problem" />
          <SuccessNotice message={notice} testId="sso-notice" />
          <div className="form-actions">
            <SubmitButton busy={busy} label={t.save} busyLabel={t.saving} />
          </div>
        </form>
      </section>
    </div>
  );
}

/** "Test connection": the API fetches the issuer's discovery document and says what it found. */
function ConnectionTest({ issuer, t }: { issuer: string; t: T }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SsoTestResult | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);

  async function run() {
    setBusy(true);
    setProblem(null);
    setResult(null);
    const res = await callApi<SsoTestResult>('/api/v1/sso/test', { method: 'POST', body: issuer ? { issuer } : {} });
    setBusy(false);
    if (!res.ok) return setProblem(res.problem);
    setResult(res.data);
  }

  const endpoint = (value: string | null) => (value ? <code className="hash">{value}</code> : <span className="muted">{t.notAdvertised}</span>);
  return (
    <div className="stack stack--tight">
      <div>
        <button type="button" className="button button--small" onClick={() => void run()} disabled={busy} aria-busy={busy}>
          {busy ? t.testing : t.test}
        </button>
      </div>
      <ProblemAlert problem={problem} testId="sso-test-problem" />
      {result ? (
        <section
          className={`notice ${result.ok ? 'notice--success' : 'notice--warning'}`}
          role="status"
          aria-labelledby="sso-test-title"
          data-testid="sso-test-result"
          data-ok={result.ok}
        >
          <h3 id="sso-test-title" className="drawer__heading">
            {t.testTitle}
          </h3>
          <p>
            <strong>{result.ok ? t.testOk : t.testFailed}</strong>
          </p>
          {result.problem ? <p data-testid="sso-test-problem-text">{result.problem}</p> : null}
          <dl className="facts facts--compact">
            <div className="facts__row">
              <dt>{t.authorizationEndpoint}</dt>
              <dd>{endpoint(result.authorizationEndpoint)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t.tokenEndpoint}</dt>
              <dd>{endpoint(result.tokenEndpoint)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t.jwksUri}</dt>
              <dd>{endpoint(result.jwksUri)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t.endSessionEndpoint}</dt>
              <dd data-testid="sso-test-end-session">{endpoint(result.endSessionEndpoint)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t.pkce}</dt>
              <dd>{result.pkceS256 ? t.yes : result.ok ? t.pkceUnlisted : t.no}</dd>
            </div>
          </dl>
          {result.ok && !result.endSessionEndpoint ? <p className="muted">{t.noEndSession}</p> : null}
        </section>
      ) : null}
    </div>
  );
}
