import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { auditStrings } from '../audit/audit-strings';
import { CaseView } from './case-view';
import { caseQuery, loadCase, parseCaseParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.cases.title };
}

/** A case: the person or conversation and the period come from the URL, the open entry too. */
export default async function CasesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseCaseParams(await searchParams);
  const { timeline, person, me } = await loadCase(params);
  const { locale, dict } = await getI18n();
  return (
    <>
      <PageHeader title={dict.cases.title} lead={dict.cases.lead} />
      <CaseView
        locale={locale}
        params={params}
        query={caseQuery(params)}
        person={person}
        items={timeline?.ok ? timeline.data.items : null}
        nextCursor={timeline?.ok ? timeline.data.nextCursor : null}
        problem={timeline && !timeline.ok ? timeline.problem : null}
        viewer={{ name: me.displayName, readsContent: true }}
        t={{
          cases: dict.cases,
          picker: dict.personPicker,
          audit: auditStrings(dict),
        }}
      />
    </>
  );
}
