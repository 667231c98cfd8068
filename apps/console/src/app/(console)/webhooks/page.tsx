import { EVENT_TYPES } from '@retract/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { CreateWebhook, WebhookList } from './webhooks-client';
import { loadWebhooks, parseWebhookParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.webhooks.title };
}

export default async function WebhooksPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseWebhookParams(await searchParams);
  const { webhooks, deliveries } = await loadWebhooks(params);
  const { locale, dict } = await getI18n();
  const t = dict.webhooks;
  const selected = webhooks.ok ? webhooks.data.items.find((w) => w.id === params.webhookId) : undefined;
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <div className="stack">
        {webhooks.ok ? (
          <WebhookList locale={locale} webhooks={webhooks.data.items} selected={params.webhookId} t={t} table={dict.table} />
        ) : (
          <ServerProblem problem={webhooks.problem} />
        )}
        {deliveries && selected ? (
          <section className="card table-card" aria-labelledby="deliveries-title" data-testid="deliveries">
            <div className="card__head card__head--padded">
              <h2 id="deliveries-title" className="card__title">
                {format(t.deliveriesTitle, { url: selected.url })}
              </h2>
              <Link className="button button--quiet button--small" href="/webhooks" scroll={false}>
                {t.closeDeliveries}
              </Link>
            </div>
            {!deliveries.ok ? (
              <div className="card__body">
                <ServerProblem problem={deliveries.problem} />
              </div>
            ) : deliveries.data.items.length === 0 ? (
              <p className="empty">{t.deliveriesEmpty}</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">{t.columns.event}</th>
                      <th scope="col">{t.columns.status}</th>
                      <th scope="col" className="num">
                        {t.columns.attempts}
                      </th>
                      <th scope="col">{t.columns.last}</th>
                      <th scope="col">{t.columns.result}</th>
                      <th scope="col">{t.columns.next}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {deliveries.data.items.map((d) => (
                      <tr key={d.id}>
                        <td>
                          <code>{d.eventType}</code> <span className="muted">#{d.eventId}</span>
                        </td>
                        <td>
                          <span className={`badge ${d.status === 'DELIVERED' ? 'badge--success' : d.status === 'FAILED' ? 'badge--danger' : 'badge--warning'}`}>
                            {t.statuses[d.status]}
                          </span>
                        </td>
                        <td className="num">{d.attempts}</td>
                        <td className="muted">{formatUtc(locale, d.lastAttemptAt)}</td>
                        <td>{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '')}</td>
                        <td className="muted">{formatUtc(locale, d.nextAttemptAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {deliveries.ok && deliveries.data.nextCursor ? (
              <div className="pager">
                <span />
                <Link
                  className="button button--quiet"
                  href={`/webhooks?webhook=${selected.id}&deliveries=${encodeURIComponent(deliveries.data.nextCursor)}`}
                  scroll={false}
                >
                  {t.olderDeliveries} →
                </Link>
              </div>
            ) : null}
          </section>
        ) : null}
        <CreateWebhook eventTypes={EVENT_TYPES} t={t} table={dict.table} />
      </div>
    </>
  );
}
