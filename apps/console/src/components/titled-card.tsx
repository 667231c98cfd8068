import type { ReactNode } from 'react';

/** A card section named by its own heading, with an optional lead sentence under it. */
export function TitledCard({ id, title, lead, testId, children }: { id: string; title: string; lead?: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="card__title">
        {title}
      </h2>
      {lead ? <p className="card__text">{lead}</p> : null}
      {children}
    </section>
  );
}
