'use client';

import type { LegalHoldCoverage } from '@retract/contracts';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { shortId } from '../../../lib/labels';
import type { HoldCoverageState } from '../../../lib/use-hold-coverage';

type T = Dictionary['legalHolds']['holdState'];
type Covering = LegalHoldCoverage['holds'][number];

const nameOf = (person: { displayName: string } | null, id: string) => person?.displayName ?? shortId(id);

/** Why one hold covers the person, in the words of docs/architecture.md ("Who can do what"). */
function holdLine(covering: Covering, t: T): string {
  const { hold } = covering;
  const reason =
    covering.reason === 'CONVERSATION'
      ? format(t.reasons.CONVERSATION, { conversation: shortId(hold.conversationId) })
      : covering.reason === 'RECEIVED'
        ? format(t.reasons.RECEIVED, { name: nameOf(covering.heldPerson, hold.subjectUserId ?? '') })
        : t.reasons[covering.reason];
  return format(t.holdLine, { matter: hold.matter, reason });
}

/** Whether the person chosen for erasure is held, and by which holds, before anything is submitted. */
export function HoldState({ coverage, t }: { coverage: HoldCoverageState; t: T }) {
  return (
    <div role="status" aria-live="polite" data-testid="erasure-hold-state" data-held={coverage.state === 'done' ? String(coverage.coverage.held) : undefined}>
      {coverage.state === 'loading' ? <p className="muted">{t.checking}</p> : null}
      {coverage.state === 'failed' ? (
        coverage.status === 404 ? (
          <p className="notice notice--warning">{t.unknownPerson}</p>
        ) : (
          <ProblemAlert problem={coverage.problem} />
        )
      ) : null}
      {coverage.state === 'done' ? <CoverageSummary coverage={coverage.coverage} t={t} /> : null}
    </div>
  );
}

function CoverageSummary({ coverage, t }: { coverage: LegalHoldCoverage; t: T }) {
  const name = nameOf(coverage.person, coverage.subjectUserId);
  if (!coverage.held) return <p className="notice notice--info">{format(t.notHeld, { name })}</p>;
  return (
    <div className="notice notice--warning">
      <p>{format(t.held, { name })}</p>
      <ul aria-label={format(t.holdsLabel, { name })}>
        {coverage.holds.map((covering) => (
          <li key={covering.hold.id}>{holdLine(covering, t)}</li>
        ))}
      </ul>
    </div>
  );
}

/** The holds a 409 LEGAL_HOLD_ACTIVE names, with their matters and why each covers the person (ids when not known to the page). */
export function RefusingHolds({ holdIds, coverage, t }: { holdIds: string[]; coverage: HoldCoverageState; t: T }) {
  if (holdIds.length === 0) return null;
  const known = new Map(coverage.state === 'done' ? coverage.coverage.holds.map((covering) => [covering.hold.id, covering]) : []);
  return (
    <div data-testid="erasure-refusing-holds">
      <p>{t.refusedBy}</p>
      <ul>
        {holdIds.map((id) => {
          const covering = known.get(id);
          return <li key={id}>{covering ? holdLine(covering, t) : <code title={id}>{shortId(id)}</code>}</li>;
        })}
      </ul>
    </div>
  );
}
