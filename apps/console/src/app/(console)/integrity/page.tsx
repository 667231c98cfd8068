import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import { CheckpointCard, PublicKeyCard, VerifyRange } from './integrity-panels';
import { OfflineVerify } from './offline-verify';
import { loadIntegrity } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.integrity.title };
}

export default async function IntegrityPage() {
  const { checkpoint, keys, logSize } = await loadIntegrity();
  const { locale, dict } = await getI18n();
  const t = dict.integrity;
  const vkey = keys.ok ? keys.data.keys[0]?.vkey : undefined;

  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <div className="stack">
        {checkpoint.ok ? (
          <CheckpointCard locale={locale} checkpoint={checkpoint.data} keys={keys.ok ? keys.data : null} logSize={logSize} t={t} />
        ) : (
          <ServerProblem problem={checkpoint.problem} />
        )}

        <VerifyRange locale={locale} logSize={logSize ?? 0} t={t} />

        <div className="grid-2">
          {keys.ok ? <PublicKeyCard locale={locale} keys={keys.data} t={t} /> : <ServerProblem problem={keys.problem} />}

          <OfflineVerify vkey={vkey} t={t} table={dict.table} />
        </div>
      </div>
    </>
  );
}
