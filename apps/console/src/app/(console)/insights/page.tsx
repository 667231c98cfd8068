import type { DenialCode } from '@retract/contracts';
import type { Metadata } from 'next';
import { DataTable, type Column } from '../../../components/data-table';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { TitledCard } from '../../../components/titled-card';
import { formatUtc, formatUtcBucket, formatUtcDate } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { HorizontalBars, StackedBars } from './charts';
import { BUCKETS, loadInsights, parseInsightsParams, RANGES } from './_queries';
import { CompactField } from '../../../components/field';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.insights.title };
}

/** Recall charts, rendered on the server as SVG; the period and grouping are a plain GET form. */
export default async function InsightsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseInsightsParams(await searchParams);
  const result = await loadInsights(params);
  const { locale, dict } = await getI18n();
  const t = dict.insights;
  const nf = new Intl.NumberFormat(locale);

  const filters = (
    <form method="get" action="/insights" className="filters card" aria-label={t.range}>
      <CompactField id="insights-range" label={t.range}>
        <select id="insights-range" name="range" className="field__input" defaultValue={params.range}>
          {RANGES.map((r) => (
            <option key={r} value={r}>
              {t.ranges[r]}
            </option>
          ))}
        </select>
      </CompactField>
      <CompactField id="insights-bucket" label={t.bucket}>
        <select id="insights-bucket" name="bucket" className="field__input" defaultValue={params.bucket}>
          {BUCKETS.map((b) => (
            <option key={b} value={b}>
              {t.buckets[b]}
            </option>
          ))}
        </select>
      </CompactField>
      <div className="filters__buttons filters__buttons--flush">
        <button type="submit" className="button button--primary">
          {t.show}
        </button>
      </div>
    </form>
  );

  if (result.tooMany) {
    return (
      <>
        <PageHeader title={t.title} lead={t.lead} />
        {filters}
        <p className="notice notice--warning">{format(t.tooManyBuckets, { bucket: t.buckets[params.bucket].toLowerCase() })}</p>
      </>
    );
  }
  if (!result.insights.ok) {
    return (
      <>
        <PageHeader title={t.title} lead={t.lead} />
        {filters}
        <ServerProblem problem={result.insights.problem} />
      </>
    );
  }

  const data = result.insights.data;
  const points = data.series.map((p) => ({
    label: formatUtcBucket(locale, p.start, data.bucket),
    title: format(t.barTitle, { start: formatUtc(locale, p.start), recalled: p.recalled - p.forced, forced: p.forced, denied: p.denied }),
    values: [Math.max(0, p.recalled - p.forced), p.forced, p.denied],
  }));
  const codes = (Object.entries(data.deniedByCode) as [DenialCode, number][]).sort((a, b) => b[1] - a[1]);
  const quiet = data.totals.recalled === 0 && data.totals.denied === 0;
  const overTimeColumns: Column<(typeof data.series)[number]>[] = [
    { header: t.start, cell: (p) => formatUtc(locale, p.start) },
    countColumn(nf, t.recalled, (p) => p.recalled),
    countColumn(nf, t.forced, (p) => p.forced),
    countColumn(nf, t.denied, (p) => p.denied),
  ];
  const bySourceColumns: Column<(typeof data.bySource)[number]>[] = [
    { header: t.source, cell: (row) => (row.source === null ? t.builtIn : <span className="badge">{row.source}</span>) },
    countColumn(nf, t.recalled, (row) => row.recalled),
    countColumn(nf, t.forced, (row) => row.forced),
    countColumn(nf, t.denied, (row) => row.denied),
  ];
  const recallerColumns: Column<(typeof data.topRecallers)[number]>[] = [
    { header: t.person, cell: (r) => r.displayName },
    countColumn(nf, t.recalled, (r) => r.recalled),
    countColumn(nf, t.denied, (r) => r.denied),
  ];

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      {filters}
      <div className="stack" data-testid="insights">
        <div className="stats">
          <div className="stat">
            <p className="stat__label">{t.totalRecalled}</p>
            <p className="stat__value" data-testid="total-recalled">
              {nf.format(data.totals.recalled)}
            </p>
            <p className="muted">
              {t.totalForced}: {nf.format(data.totals.forced)}
            </p>
          </div>
          <div className="stat">
            <p className="stat__label">{t.totalDenied}</p>
            <p className="stat__value">{nf.format(data.totals.denied)}</p>
          </div>
        </div>

        <TitledCard id="over-time" title={t.overTime}>
          {quiet ? <p className="muted">{t.empty}</p> : null}
          <StackedBars
            points={points}
            series={[t.recalled, t.forced, t.denied]}
            locale={locale}
            label={format(t.overTimeLabel, {
              bucket: t.buckets[data.bucket].toLowerCase(),
              from: formatUtcDate(locale, data.from),
              to: formatUtcDate(locale, data.to),
            })}
          />
          <details>
            <summary>{t.asTable}</summary>
            <DataTable columns={overTimeColumns} rows={data.series} rowKey={(p) => p.start} />
          </details>
        </TitledCard>

        <TitledCard id="by-source" title={t.bySource}>
          {data.bySource.length === 0 ? (
            <p className="muted">{t.bySourceEmpty}</p>
          ) : (
            <DataTable columns={bySourceColumns} rows={data.bySource} rowKey={(row) => row.source ?? ''} testId="insights-by-source" />
          )}
        </TitledCard>

        <div className="grid-2">
          <TitledCard id="by-code" title={t.byCode}>
            {codes.length === 0 ? (
              <p className="muted">{t.byCodeEmpty}</p>
            ) : (
              <HorizontalBars locale={locale} rows={codes.map(([code, value]) => ({ label: dict.denialCodes[code] ?? code, value, hint: code }))} />
            )}
          </TitledCard>
          <TitledCard id="top-recallers" title={t.topRecallers}>
            {data.topRecallers.length === 0 ? (
              <p className="muted">{t.topEmpty}</p>
            ) : (
              <DataTable columns={recallerColumns} rows={data.topRecallers} rowKey={(r) => r.userId} testId="top-recallers" />
            )}
          </TitledCard>
        </div>
      </div>
    </>
  );
}

function countColumn<Row>(nf: Intl.NumberFormat, header: string, count: (row: Row) => number): Column<Row> {
  return { header, numeric: true, cell: (row) => nf.format(count(row)) };
}
