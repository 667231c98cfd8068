import type { Metadata } from 'next';
import Link from 'next/link';
import { DataTable } from '../../../components/data-table';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { getI18n } from '../../../i18n/locale';
import { ExportForm } from './export-form';
import { loadExports } from './_queries';
import { TitledCard } from '../../../components/titled-card';
import { auditStrings } from '../audit/audit-strings';
import { summarise } from '../audit/entry-about';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.exports.title };
}

export default async function ExportsPage() {
  const { recent, logSize } = await loadExports();
  const { locale, dict } = await getI18n();
  const t = dict.exports;
  const audit = auditStrings(dict);
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <div className="stack">
        <ExportForm locale={locale} logSize={logSize} dayFormat={dict.table.dayFormat} t={t} />
        <TitledCard id="recent-exports" title={t.recent}>
          {!recent.ok ? (
            <ServerProblem problem={recent.problem} />
          ) : (
            <DataTable
              columns={[
                {
                  header: dict.audit.columns.seq,
                  cell: (item) => (
                    <Link className="link" href={`/audit?action=EXPORT_CREATED&entry=${item.seq}`} prefetch={false}>
                      {format(t.openEntry, { seq: item.seq })}
                    </Link>
                  ),
                },
                { header: dict.audit.columns.time, className: 'muted', cell: (item) => formatUtc(locale, item.occurredAt) },
                { header: dict.audit.columns.actor, cell: (item) => item.actor?.displayName ?? dict.table.unknownPerson },
                { header: dict.audit.columns.about, cell: (item) => summarise(item, audit, locale) },
              ]}
              rows={recent.data.items}
              rowKey={(item) => item.seq}
              testId="recent-exports"
              empty={t.recentEmpty}
            />
          )}
        </TitledCard>
      </div>
    </>
  );
}
