import { asSubject } from '@retract/authz';
import { AUDIT_ACTIONS, SOURCE_PATTERN } from '@retract/contracts';
import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { requireSection } from '../../../lib/sections';
import { AuditBrowser } from './audit-browser';
import { auditStrings } from './audit-strings';
import { AUDIT_PAGE_SIZE, loadAuditPage, parseAuditParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.audit.title };
}

/** The audit trail: filters and page position come from the URL; the open entry too. */
export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseAuditParams(await searchParams);
  const { page: result, logSize } = await loadAuditPage(params);
  const { me, ability } = await requireSection('audit');
  const { locale, dict } = await getI18n();
  return (
    <>
      <PageHeader title={dict.audit.title} lead={dict.audit.lead} />
      <AuditBrowser
        locale={locale}
        items={result.ok ? result.data.items : []}
        nextCursor={result.ok ? result.data.nextCursor : null}
        cursor={params.cursor}
        trail={params.trail}
        filters={params.filters}
        actions={AUDIT_ACTIONS}
        sourcePattern={SOURCE_PATTERN.source}
        problem={result.ok ? null : result.problem}
        logSize={logSize}
        pageSize={AUDIT_PAGE_SIZE}
        viewer={{ name: me.displayName, readsContent: ability.can('readContent', asSubject('AuditEntry', { tenantId: me.tenantId })) }}
        t={auditStrings(dict)}
      />
    </>
  );
}
