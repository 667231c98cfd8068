import type { AuditEntryDetail } from '@retract/contracts';
import { formatUtc } from '../../../../i18n/dates';
import { format } from '../../../../i18n/format';
import { PersonName } from '../../../../components/person-name';
import type { AuditStrings } from '../audit-browser';

/**
 * What to say instead of the reach figures, or null to show them. A chat system's recall has no
 * recipients Retract knows of: the chat system keeps its members and applies the recall itself.
 */
export function reachNote(detail: Pick<AuditEntryDetail, 'recallReach' | 'source'>, a: AuditStrings['audit']): string | null {
  if (detail.source) return format(a.reachExternal, { source: detail.source });
  return detail.recallReach?.recipients === 0 ? a.reachNone : null;
}

/** How far a recall got: recipients whose devices confirmed the removal, those that have not (by name), and who already downloaded. */
export function RecallReach({ detail, locale, t }: { detail: AuditEntryDetail; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const reach = detail.recallReach!;
  const delivered = Array.isArray(detail.details.alreadyDeliveredTo) ? (detail.details.alreadyDeliveredTo as { userId: string; at: string }[]) : [];
  const note = reachNote(detail, a);
  return (
    <div data-testid="audit-reach">
      {note !== null ? (
        <p>{note}</p>
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
