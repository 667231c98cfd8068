'use client';

import type { CreatedServiceAccount, ServiceAccountScope, ServiceAccountView } from '@retract/contracts';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ConfirmAction } from '../../../components/confirm-action';
import { CopyButton } from '../../../components/copy-button';
import { DataTable } from '../../../components/data-table';
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
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['serviceAccounts'];

/** Active accounts first, then revoked ones, each in the order they were created (the API's order). */
const activeFirst = (accounts: ServiceAccountView[]) => [...accounts.filter((a) => !a.revokedAt), ...accounts.filter((a) => a.revokedAt)];

export function ServiceAccountList({ locale, accounts, t, table }: { locale: string; accounts: ServiceAccountView[]; t: T; table: Dictionary['table'] }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function revoke(account: ServiceAccountView) {
    setProblem(null);
    setNotice(null);
    setBusy(true);
    const res = await callApi(`/api/v1/service-accounts/${account.id}`, { method: 'DELETE' });
    setBusy(false);
    setConfirming(null);
    if (!res.ok) return setProblem(res.problem);
    setNotice(format(t.revoked, { name: account.name }));
    router.refresh();
  }

  return (
    <section className="card table-card" aria-labelledby="service-accounts-title">
      <div className="card__head card__head--padded">
        <h2 id="service-accounts-title" className="card__title">
          {t.listTitle}
        </h2>
      </div>
      <div className="card__body">
        <ProblemAlert problem={problem} testId="service-accounts-problem" />
        <SuccessNotice message={notice} testId="service-accounts-notice" />
      </div>
      <DataTable
        columns={[
          { header: t.name, cell: (account) => <strong>{account.name}</strong> },
          {
            header: t.scopes,
            cell: (account) => (
              <span className="flags">
                {account.scopes.map((scope) => (
                  <code key={scope} className="badge badge--muted" title={t.scopeNames[scope]}>
                    {scope}
                  </code>
                ))}
              </span>
            ),
          },
          {
            header: t.createdBy,
            cell: (account) => (account.createdBy ? account.createdBy.displayName : <span className="muted">{table.erasedPerson}</span>),
          },
          { header: t.created, className: 'muted', cell: (account) => formatUtc(locale, account.createdAt) },
          {
            header: t.lastUsed,
            className: 'muted',
            cell: (account) => <span data-testid="service-account-last-used">{account.lastUsedAt ? formatUtc(locale, account.lastUsedAt) : t.neverUsed}</span>,
          },
          {
            header: t.status,
            cell: (account) =>
              account.revokedAt ? (
                <>
                  <span className="badge badge--danger">{t.revokedBadge}</span>
                  <p className="muted">{format(t.revokedOn, { date: formatUtc(locale, account.revokedAt) })}</p>
                </>
              ) : (
                <span className="badge badge--success">{t.active}</span>
              ),
          },
          {
            header: t.revoke,
            hiddenHeader: true,
            cell: (account) =>
              account.revokedAt ? null : (
                <ConfirmAction
                  open={confirming === account.id}
                  question={format(t.revokeConfirm, { name: account.name })}
                  label={t.revoke}
                  confirmLabel={t.confirmRevoke}
                  cancelLabel={table.cancel}
                  busy={busy}
                  onOpen={() => setConfirming(account.id)}
                  onConfirm={() => void revoke(account)}
                  onCancel={() => setConfirming(null)}
                />
              ),
          },
        ]}
        rows={activeFirst(accounts)}
        rowKey={(account) => account.id}
        label={t.tableLabel}
        testId="service-accounts-table"
        rowProps={(account) => ({ 'data-testid': 'service-account-row', 'data-state': account.revokedAt ? 'revoked' : 'active' })}
        empty={t.empty}
      />
    </section>
  );
}

export function CreateServiceAccount({ scopes, t, table }: { scopes: readonly ServiceAccountScope[]; t: T; table: Dictionary['table'] }) {
  const router = useRouter();
  const { errors, setErrors, problem, setProblem, busy, setBusy, fail } = useFormProblem();
  const [created, setCreated] = useState<CreatedServiceAccount | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = fieldText(data, 'name').trim();
    const chosen = scopes.filter((scope) => data.getAll('scopes').includes(scope));
    const next: Record<string, string> = {};
    if (!name) next.name = t.needName;
    if (chosen.length === 0) next.scopes = t.needScope;
    setErrors(next);
    setProblem(null);
    if (Object.keys(next).length) return;
    setBusy(true);
    const res = await callApi<CreatedServiceAccount>('/api/v1/service-accounts', { method: 'POST', body: { name, scopes: chosen } });
    setBusy(false);
    if (!res.ok) return fail(res.problem);
    form.reset();
    setCreated(res.data);
    router.refresh();
  }

  return (
    <TitledCard id="create-service-account-title" title={t.createTitle}>
      {created ? <TokenPanel account={created} t={t} table={table} onDone={() => setCreated(null)} /> : null}
      <form className="stack" onSubmit={onSubmit} noValidate>
        <Field id="service-account-name" label={t.name} hint={t.nameHint} error={errors.name}>
          <input
            id="service-account-name"
            name="name"
            className="field__input"
            maxLength={120}
            autoComplete="off"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy('service-account-name', true, errors.name)}
          />
        </Field>
        <fieldset className={`fieldset${errors.scopes ? ' field--invalid' : ''}`} aria-describedby={describedBy('service-account-scopes', true, errors.scopes)}>
          <legend>{t.scopes}</legend>
          <p id="service-account-scopes-hint" className="field__hint">
            {t.scopesHint}
          </p>
          <div className="checks checks--column">
            {scopes.map((scope) => (
              <label key={scope} className="check">
                <input type="checkbox" name="scopes" value={scope} />
                <code>{scope}</code> <span className="muted">{t.scopeNames[scope]}</span>
              </label>
            ))}
          </div>
          {errors.scopes ? (
            <p id="service-account-scopes-error" className="field__error">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <ProblemAlert problem={problem} testId="create-service-account-problem" />
        <div className="form-actions">
          <SubmitButton busy={busy} label={t.create} busyLabel={t.creating} />
        </div>
      </form>
    </TitledCard>
  );
}

/**
 * The token, once: the API answers it on creation only and keeps its hash. The panel takes focus
 * so a screen reader reads the warning, and stays until the administrator says it is stored.
 */
function TokenPanel({ account, t, table, onDone }: { account: CreatedServiceAccount; t: T; table: Dictionary['table']; onDone: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [account.id]);
  const title = format(t.tokenTitle, { name: account.name });
  return (
    <div className="notice notice--success stack stack--tight" role="region" aria-labelledby="service-account-token-title" data-testid="service-account-token">
      <h3 id="service-account-token-title" className="drawer__heading" tabIndex={-1} ref={headingRef}>
        {title}
      </h3>
      <p id="service-account-token-lead">
        <strong>{t.tokenLead}</strong>
      </p>
      <div className="field">
        <label htmlFor="service-account-token-value" className="field__label">
          {t.tokenLabel}
        </label>
        <div className="command">
          <input
            id="service-account-token-value"
            className="field__input hash"
            readOnly
            value={account.token}
            spellCheck={false}
            aria-describedby="service-account-token-lead"
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton text={account.token} label={table.copy} copiedLabel={table.copied} name={format(t.copyToken, { name: account.name })} />
        </div>
      </div>
      <div>
        <button type="button" className="button button--quiet button--small" onClick={onDone}>
          {t.tokenDone}
        </button>
      </div>
    </div>
  );
}
