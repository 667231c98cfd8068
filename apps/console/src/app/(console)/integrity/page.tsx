import type { Metadata } from 'next';
import Link from 'next/link';
import { CopyButton } from '../../../components/copy-button';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import { CheckpointCard, PublicKeyCard, VerifyRange } from './integrity-panels';
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
  const command = `npm run verify -- audit-export.jsonl --trusted-key '${vkey ?? '<vkey>'}'`;

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

          <section className="card" aria-labelledby="offline-title">
            <h2 id="offline-title" className="card__title">
              {t.offlineTitle}
            </h2>
            <p className="card__text">{t.offlineLead}</p>
            <div className="command" data-testid="offline-command">
              <pre>{command}</pre>
              <CopyButton text={command} label={dict.table.copy} copiedLabel={dict.table.copied} />
            </div>
            <p className="form-actions card__footer">
              <a className="button button--quiet" href="/api/v1/audit/export?format=jsonl" download>
                {t.exportLink}
              </a>
              <Link className="link" href="/exports">
                {t.exportsPage}
              </Link>
            </p>
          </section>
        </div>
      </div>
    </>
  );
}
