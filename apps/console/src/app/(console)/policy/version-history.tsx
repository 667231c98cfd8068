import type { PolicyVersionView } from '@retract/contracts';
import Link from 'next/link';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { diffPathLabel, diffValue } from './policy-model';
import { TitledCard } from '../../../components/titled-card';

/** Who changed what and when, newest first; rendered on the server (no JavaScript). */
export function VersionHistory({
  locale,
  versions,
  nextCursor,
  firstPage,
  t,
}: {
  locale: string;
  versions: PolicyVersionView[];
  nextCursor: string | null;
  firstPage: boolean;
  t: Dictionary['policy'];
}) {
  return (
    <TitledCard id="history-title" title={t.historyTitle} testId="policy-history">
      {versions.length === 0 ? <p className="muted">{t.historyEmpty}</p> : null}
      <ol className="timeline">
        {versions.map((version) => {
          const initial = version.version === 1 || version.diff.every((d) => d.from === null && !d.path.startsWith('overrides'));
          return (
            <li key={version.version} className="timeline__item" data-testid="policy-version-item" data-version={version.version}>
              <p className="timeline__title">
                <strong>
                  {format(t.versionBy, {
                    version: version.version,
                    date: formatUtc(locale, version.createdAt),
                    name: version.createdBy?.displayName ?? t.system,
                  })}
                </strong>
              </p>
              {initial && version.version === 1 ? (
                <p className="muted">{t.initial}</p>
              ) : (
                <ul className="diff">
                  {version.diff.map((change) => (
                    <li key={change.path}>
                      <span className="diff__field">{diffPathLabel(change.path, t)}</span>{' '}
                      <span className="diff__from">{diffValue(change.path, change.from, locale, t)}</span> →{' '}
                      <span className="diff__to">{diffValue(change.path, change.to, locale, t)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {nextCursor || !firstPage ? (
        <div className="form-actions">
          {!firstPage ? (
            <Link className="button button--quiet" href="/policy" scroll={false}>
              {t.newerVersions}
            </Link>
          ) : null}
          {nextCursor ? (
            <Link className="button button--quiet" href={`/policy?versions=${encodeURIComponent(nextCursor)}`} scroll={false}>
              {t.olderVersions} →
            </Link>
          ) : null}
        </div>
      ) : null}
    </TitledCard>
  );
}
