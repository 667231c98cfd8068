import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { RetentionPanel } from '../../../components/retention-panel';
import { ServerProblem } from '../../../components/server-problem';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { PolicyEditor } from './policy-editor';
import { VersionHistory } from './version-history';
import { loadPolicy, parsePolicyParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.policy.title };
}

export default async function PolicyPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parsePolicyParams(await searchParams);
  const { current, versions, retention, canChangeRetention } = await loadPolicy(params);
  const { locale, dict } = await getI18n();
  const t = dict.policy;
  return (
    <>
      <PageHeader
        title={t.title}
        lead={t.lead}
        actions={
          current.ok ? (
            <p className="badge badge--info" data-testid="policy-version">
              {format(t.currentVersion, {
                version: current.data.version,
                date: formatUtc(locale, current.data.createdAt),
                name: current.data.createdBy?.displayName ?? t.system,
              })}
            </p>
          ) : null
        }
      />
      <div className="stack">
        {params.saved && current.ok && current.data.version === params.saved ? (
          <p className="notice notice--success" role="status" data-testid="policy-saved">
            {format(t.saved, { version: params.saved })}
          </p>
        ) : null}
        {current.ok ? <PolicyEditor key={current.data.version} locale={locale} current={current.data} t={t} /> : <ServerProblem problem={current.problem} />}
        {retention.ok ? (
          <RetentionPanel retention={retention.data} canChange={canChangeRetention} locale={locale} t={t} />
        ) : (
          <ServerProblem problem={retention.problem} />
        )}
        {versions.ok ? (
          <VersionHistory
            locale={locale}
            versions={versions.data.items}
            nextCursor={versions.data.nextCursor}
            firstPage={params.versionsCursor === undefined}
            t={t}
          />
        ) : (
          <ServerProblem problem={versions.problem} />
        )}
      </div>
    </>
  );
}
