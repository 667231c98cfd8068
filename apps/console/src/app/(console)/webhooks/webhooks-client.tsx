'use client';

import type { CreatedWebhook, EventType, WebhookView } from '@retract/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ConfirmAction } from '../../../components/confirm-action';
import { DataTable } from '../../../components/data-table';
import { CopyButton } from '../../../components/copy-button';
import { ProblemAlert } from '../../../components/problem-alert';
import { SubmitButton } from '../../../components/submit-button';
import { SuccessNotice } from '../../../components/success-notice';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { useFormProblem } from '../../../lib/use-form-problem';
import { fieldText } from '../../../lib/form-fields';
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['webhooks'];

export function WebhookList({
  locale,
  webhooks,
  selected,
  t,
  table,
}: {
  locale: string;
  webhooks: WebhookView[];
  selected?: string;
  t: T;
  table: Dictionary['table'];
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function remove(id: string) {
    setProblem(null);
    const res = await callApi(`/api/v1/webhooks/${id}`, { method: 'DELETE' });
    setConfirming(null);
    if (!res.ok) return setProblem(res.problem);
    setNotice(t.removed);
    router.refresh();
  }

  return (
    <section className="card table-card" aria-labelledby="webhooks-title">
      <div className="card__head card__head--padded">
        <h2 id="webhooks-title" className="card__title">
          {t.listTitle}
        </h2>
      </div>
      <div className="card__body">
        <ProblemAlert problem={problem} />
        <SuccessNotice message={notice} />
      </div>
      <DataTable
        columns={[
          {
            header: t.url,
            cell: (w) => (
              <>
                <code className="hash">{w.url}</code>
                {w.description ? <p className="muted">{w.description}</p> : null}
              </>
            ),
          },
          {
            header: t.events,
            cell: (w) => (
              <span className="flags">
                {w.eventTypes.map((e) => (
                  <code key={e} className="badge badge--muted">
                    {e}
                  </code>
                ))}
              </span>
            ),
          },
          { header: t.created, className: 'muted nowrap', cell: (w) => formatUtc(locale, w.createdAt) },
          {
            header: t.deliveries,
            hiddenHeader: true,
            className: 'nowrap',
            cell: (w) => (
              <>
                <Link
                  className="button button--quiet button--small"
                  href={`/webhooks?webhook=${w.id}`}
                  scroll={false}
                  aria-current={selected === w.id ? 'true' : undefined}
                >
                  {t.showDeliveries}
                </Link>{' '}
                <ConfirmAction
                  open={confirming === w.id}
                  question={format(t.removeConfirm, { url: w.url })}
                  label={t.remove}
                  confirmLabel={t.confirmRemove}
                  cancelLabel={table.cancel}
                  onOpen={() => setConfirming(w.id)}
                  onConfirm={() => void remove(w.id)}
                  onCancel={() => setConfirming(null)}
                />
              </>
            ),
          },
        ]}
        rows={webhooks}
        rowKey={(w) => w.id}
        testId="webhooks-table"
        rowProps={(w) => ({ className: selected === w.id ? 'is-selected' : undefined })}
        empty={t.empty}
      />
    </section>
  );
}

export function CreateWebhook({ eventTypes, t, table }: { eventTypes: readonly EventType[]; t: T; table: Dictionary['table'] }) {
  const router = useRouter();
  const { errors, setErrors, problem, setProblem, busy, setBusy, fail } = useFormProblem();
  const [secret, setSecret] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const url = fieldText(data, 'url').trim();
    const types = data.getAll('eventTypes').map(String) as EventType[];
    const description = fieldText(data, 'description').trim();
    const next: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/i.test(url)) next.url = t.needUrl;
    if (types.length === 0) next.eventTypes = t.needEvents;
    setErrors(next);
    setProblem(null);
    setSecret(null);
    if (Object.keys(next).length) return;
    setBusy(true);
    const res = await callApi<CreatedWebhook>('/api/v1/webhooks', {
      method: 'POST',
      body: { url, eventTypes: types, ...(description ? { description } : {}) },
    });
    setBusy(false);
    if (!res.ok) return fail(res.problem);
    form.reset();
    setSecret(res.data.secret);
    router.refresh();
  }

  return (
    <TitledCard id="create-webhook-title" title={t.createTitle}>
      {secret ? (
        <div className="notice notice--success" role="status" data-testid="webhook-secret">
          <p>
            <strong>{t.secretTitle}</strong> — {t.secretLead}
          </p>
          <div className="command">
            <pre>{secret}</pre>
            <CopyButton text={secret} label={table.copy} copiedLabel={table.copied} />
          </div>
        </div>
      ) : null}
      <form className="stack" onSubmit={onSubmit} noValidate>
        <div className={`field${errors.url ? ' field--invalid' : ''}`}>
          <label htmlFor="webhook-url" className="field__label">
            {t.url}
          </label>
          <p id="webhook-url-hint" className="field__hint">
            {t.urlHint}
          </p>
          <input
            id="webhook-url"
            name="url"
            type="url"
            className="field__input"
            maxLength={2048}
            aria-invalid={errors.url ? true : undefined}
            aria-describedby="webhook-url-hint"
          />
          {errors.url ? <p className="field__error">{errors.url}</p> : null}
        </div>
        <fieldset className={`fieldset${errors.eventTypes ? ' field--invalid' : ''}`}>
          <legend>{t.events}</legend>
          <div className="checks">
            {eventTypes.map((e) => (
              <label key={e} className="check">
                <input type="checkbox" name="eventTypes" value={e} defaultChecked={e === 'message.recalled'} />
                <code>{e}</code>
              </label>
            ))}
          </div>
          {errors.eventTypes ? <p className="field__error">{errors.eventTypes}</p> : null}
        </fieldset>
        <div className="field">
          <label htmlFor="webhook-description" className="field__label">
            {t.description}
          </label>
          <p id="webhook-description-hint" className="field__hint">
            {t.descriptionHint}
          </p>
          <input id="webhook-description" name="description" className="field__input" maxLength={200} aria-describedby="webhook-description-hint" />
        </div>
        <ProblemAlert problem={problem} />
        <div className="form-actions">
          <SubmitButton busy={busy} label={t.create} busyLabel={t.creating} />
        </div>
      </form>
    </TitledCard>
  );
}
