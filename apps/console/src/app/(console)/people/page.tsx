import type { Metadata } from 'next';
import Link from 'next/link';
import { CursorPager } from '../../../components/cursor-pager';
import { EmailText } from '../../../components/email-text';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import { format } from '../../../i18n/format';
import { withQuery } from '../../../lib/client-api';
import type { SearchParams } from '../../../lib/search-params';
import { loadPeople, parsePeopleParams } from './_queries';
import { CompactField } from '../../../components/field';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.people.title };
}

/**
 * The people directory: a search by name or email in the URL (a plain GET form, so a search can be
 * shared and reloaded), name-ordered pages, and a way into each person's case.
 */
export default async function PeoplePage({ searchParams }: { searchParams: SearchParams }) {
  const params = parsePeopleParams(await searchParams);
  const { people, opensCases } = await loadPeople(params);
  const { dict } = await getI18n();
  const t = dict.people;
  return (
    <>
      <PageHeader title={t.title} lead={t.lead} />
      <div className="stack">
        <form className="filters card" method="get" role="search" aria-label={t.search}>
          <CompactField id="people-q" label={t.search} hint={t.searchHint} grow>
            <input
              id="people-q"
              name="q"
              type="search"
              className="field__input"
              defaultValue={params.q ?? ''}
              maxLength={200}
              aria-describedby="people-q-hint"
            />
          </CompactField>
          <div className="filters__buttons">
            <button type="submit" className="button button--primary">
              {t.submit}
            </button>
            {params.q ? (
              <Link className="button button--quiet" href="/people">
                {t.showAll}
              </Link>
            ) : null}
          </div>
        </form>
        {people.ok ? (
          <section className="card table-card" aria-labelledby="people-title">
            <h2 id="people-title" className="visually-hidden">
              {t.listLabel}
            </h2>
            <div className="table-scroll">
              <table className="table" data-testid="people-table">
                <thead>
                  <tr>
                    <th scope="col">{t.columns.name}</th>
                    <th scope="col">{t.columns.email}</th>
                    <th scope="col">{t.columns.roles}</th>
                    <th scope="col">{t.columns.status}</th>
                    {people.data.items.some((person) => person.activeHolds !== null) ? (
                      <th scope="col" title={t.holdsNote}>
                        {t.columns.holds}
                      </th>
                    ) : null}
                    {opensCases ? (
                      <th scope="col">
                        <span className="visually-hidden">{t.columns.actions}</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {people.data.items.map((person) => (
                    <tr key={person.id} data-testid="person-row">
                      <th scope="row">{person.displayName}</th>
                      <td>
                        <EmailText email={person.email} noEmail={dict.users.noEmail} />
                      </td>
                      <td>{person.roles.map((role) => dict.roles[role]).join(', ')}</td>
                      <td>
                        {person.erased ? (
                          <span className="badge badge--muted">{t.erased}</span>
                        ) : person.active ? (
                          <span className="badge badge--success">{t.active}</span>
                        ) : (
                          <span className="badge badge--muted">{t.inactive}</span>
                        )}
                      </td>
                      {person.activeHolds !== null ? (
                        <td data-testid="person-holds">
                          {person.activeHolds > 0 ? (
                            <span className="badge badge--warning">
                              {format(person.activeHolds === 1 ? t.holds.one : t.holds.other, { count: person.activeHolds })}
                            </span>
                          ) : (
                            <span className="muted">{t.noHolds}</span>
                          )}
                        </td>
                      ) : null}
                      {opensCases ? (
                        <td className="nowrap">
                          <Link href={withQuery('/cases', { person: person.id })} aria-label={format(t.openCaseOf, { name: person.displayName })}>
                            {t.openCase}
                          </Link>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
              {people.data.items.length === 0 ? <p className="empty">{params.q ? format(t.empty, { q: params.q }) : t.emptyAll}</p> : null}
            </div>
            <CursorPager
              label={t.listLabel}
              first={params.cursor ? { href: withQuery('/people', { q: params.q }), text: t.first } : undefined}
              next={people.data.nextCursor ? { href: withQuery('/people', { q: params.q, cursor: people.data.nextCursor }), text: t.next } : undefined}
            />
          </section>
        ) : (
          <ServerProblem problem={people.problem} />
        )}
      </div>
    </>
  );
}
