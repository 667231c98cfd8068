import type { AuditEntryDetail } from '@retract/contracts';
import { formatUtc } from '../../../../i18n/dates';
import { format } from '../../../../i18n/format';
import { PersonName } from '../../../../components/person-name';
import type { AuditStrings } from '../audit-browser';

/** How far a recall got: recipients whose devices confirmed the removal, those that have not (by name), and who already downloaded. */
export function RecallReach({ detail, locale, t }: { detail: AuditEntryDetail; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const reach = detail.recallReach!;
  const delivered = Array.isArray(detail.details.alreadyDeliveredTo) ? (detail.details.alreadyDeliveredTo as { userId: string; at: string }[]) : [];
  return (
    <div data-testid="audit-reach">
      {reach.recipients === 0 ? (
        <p>{a.reachNone}</p>
      ) : (
        <>
          <p className="reach">
            <meter min={0} max={reach.recipients} value={reach.applied} aria-hidden="true" />{' '}
            <strong>{format(a.reachText, { applied: reach.applied, recipients: reach.recipients })}</strong>
          </p>
          {reach.pending.length > 0 ? (
            <>
              <p className="muted">{a.reachPending}</p>
              <ul className="id-list">
                {reach.pending.map((id) => (
                  <li key={id}>
                    <PersonName id={id} erasedLabel={t.table.erasedPerson} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">{a.reachAll}</p>
          )}
        </>
      )}
      {delivered.length > 0 ? (
        <>
          <p className="muted">{a.delivered}</p>
          <ul className="id-list">
            {delivered.map((d) => (
              <li key={d.userId}>
                <PersonName id={d.userId} erasedLabel={t.table.erasedPerson} /> · {formatUtc(locale, d.at)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
