'use client';

import type { PeopleList, PersonView } from '@retract/contracts';
import { useEffect, useState } from 'react';
import { callApi, withQuery } from '../lib/client-api';
import { shortId } from '../lib/labels';

// One question per person for the page's lifetime: a list names the same people many times.
const asked = new Map<string, Promise<PersonView | null>>();

function lookUp(id: string): Promise<PersonView | null> {
  let answer = asked.get(id);
  if (!answer) {
    answer = callApi<PeopleList>(withQuery('/api/v1/people', { personId: id, limit: 1 })).then((res) => (res.ok ? (res.data.items[0] ?? null) : null));
    asked.set(id, answer);
  }
  return answer;
}

/**
 * A person named by id (a recall's recipients, say), shown by name and email from the people
 * directory; the short id until then, or when the person is unknown or erased.
 */
export function PersonName({ id, erasedLabel }: { id: string; erasedLabel: string }) {
  const [person, setPerson] = useState<PersonView | null>(null);
  useEffect(() => {
    let live = true;
    void lookUp(id).then((found) => live && setPerson(found));
    return () => {
      live = false;
    };
  }, [id]);
  if (!person) return <code title={id}>{shortId(id)}</code>;
  if (person.erased) return <span title={id}>{erasedLabel}</span>;
  return (
    <span title={id} data-person-id={id}>
      {person.displayName}
      {person.email ? <span className="muted"> &lt;{person.email}&gt;</span> : null}
    </span>
  );
}
