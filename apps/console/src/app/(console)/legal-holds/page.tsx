import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { RetentionPanel } from '../../../components/retention-panel';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { ErasureForm } from './erasure-form';
import { HoldsTable, PlaceHoldForm } from './holds';
import { loadLegalHolds, parseHoldParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.legalHolds.title };
}

export default async function LegalHoldsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseHoldParams(await searchParams);
  const { holds, activeHoldIds, people, retention, canChangeRetention } = await loadLegalHolds(params);
  const { locale, dict } = await getI18n();
  const t = dict.legalHolds;
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <div className="stack">
        {holds.ok ? (
          <HoldsTable locale={locale} holds={holds.data.items} people={people} show={params.show} t={t} table={dict.table} />
        ) : (
          <ServerProblem problem={holds.problem} />
        )}
        <div className="grid-2">
          <PlaceHoldForm t={t} picker={dict.personPicker} />
          <ErasureForm t={t} picker={dict.personPicker} holdsRevision={activeHoldIds} />
        </div>
        {retention.ok ? (
          <RetentionPanel retention={retention.data} canChange={canChangeRetention} locale={locale} t={dict.policy} />
        ) : (
          <ServerProblem problem={retention.problem} />
        )}
      </div>
    </>
  );
}
