'use client';

import type { PeopleList, PersonView } from '@retract/contracts';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Dictionary } from '../i18n/en';
import { format } from '../i18n/format';
import { callApi, withQuery } from '../lib/client-api';
import { personLabel } from './email-text';
import { describedBy } from './field';

export type PickedPerson = PersonView;

/** People offered at a time: a picker narrows by typing, it does not page. */
const OPTIONS = 8;
const DEBOUNCE_MS = 200;

type Search = { state: 'idle' } | { state: 'loading' } | { state: 'done'; people: PersonView[] } | { state: 'failed' };

interface Props {
  /** The input's id; the listbox and options derive theirs from it. */
  id: string;
  /** The form field that carries the chosen person's id (a hidden input). */
  name: string;
  label: string;
  hint?: string;
  error?: string;
  /** The person chosen when the picker appears (an id from the URL, say); shown by name once known. */
  initialId?: string | null;
  /** A smaller field for a filter bar. */
  compact?: boolean;
  onChange?: (person: PickedPerson | null) => void;
  t: Dictionary['personPicker'];
}

/**
 * Finds a person of the organisation by name or email (`GET /api/v1/people`) and carries their id
 * in a hidden field. A WAI-ARIA combobox: typing searches, ↓/↑ move through the people found, Enter
 * chooses, Escape closes the list (or, closed, clears the choice); the chosen person shows by name
 * and email, never as a bare id.
 */
export function PersonPicker({ id, name, label, hint, error, initialId, compact, onChange, t }: Props) {
  const listId = `${id}-people`;
  const statusId = useId();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<PersonView | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [search, setSearch] = useState<Search>({ state: 'idle' });
  const asked = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!initialId) return;
    const controller = new AbortController();
    callApi<PeopleList>(withQuery('/api/v1/people', { personId: initialId, limit: 1 }), { signal: controller.signal }).then(
      (res) => {
        const person = res.ok ? res.data.items[0] : undefined;
        if (!person) return;
        setChosen(person);
        setText(personLabel(person));
      },
      () => undefined, // aborted
    );
    return () => controller.abort();
  }, [initialId]);

  useEffect(
    () => () => {
      asked.current?.abort();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  function find(query: string) {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      asked.current?.abort();
      const controller = new AbortController();
      asked.current = controller;
      setSearch({ state: 'loading' });
      callApi<PeopleList>(withQuery('/api/v1/people', { q: query.trim(), limit: OPTIONS }), { signal: controller.signal }).then(
        (res) => {
          setSearch(res.ok ? { state: 'done', people: res.data.items } : { state: 'failed' });
          setActive(res.ok && res.data.items.length > 0 ? 0 : -1);
        },
        () => undefined, // aborted: a newer search runs
      );
    }, DEBOUNCE_MS);
  }

  function choose(person: PersonView | null) {
    setChosen(person);
    setText(person ? personLabel(person) : '');
    setOpen(false);
    setActive(-1);
    onChange?.(person);
  }

  function onType(value: string) {
    setText(value);
    setOpen(true);
    // What was found for the earlier text is not offered for this one.
    setSearch({ state: 'loading' });
    setActive(-1);
    if (chosen) {
      setChosen(null);
      onChange?.(null);
    }
    find(value);
  }

  function openList() {
    if (open) return;
    setOpen(true);
    find(chosen ? '' : text);
  }

  const people = search.state === 'done' ? search.people : [];
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return openList();
      if (people.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + people.length) % people.length);
    } else if (event.key === 'Enter' && open) {
      // Enter chooses; it never submits the form around the picker while the list is open.
      event.preventDefault();
      if (active >= 0 && people[active]) choose(people[active]);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
      } else if (chosen || text) {
        event.preventDefault();
        choose(null);
      }
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  }

  const status =
    search.state === 'loading'
      ? t.searching
      : search.state === 'failed'
        ? t.failed
        : search.state === 'done'
          ? people.length === 0
            ? t.noMatch
            : format(people.length === 1 ? t.found.one : t.found.other, { count: people.length })
          : '';
  const expanded = open && search.state !== 'idle';
  return (
    <div className={`field${compact ? ' field--compact' : ''}${error ? ' field--invalid' : ''} person-picker`} data-testid={`person-picker-${name}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input type="hidden" name={name} value={chosen?.id ?? ''} />
      <input
        id={id}
        type="text"
        role="combobox"
        className="field__input"
        autoComplete="off"
        spellCheck={false}
        placeholder={t.placeholder}
        value={text}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 && people[active] ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={[describedBy(id, hint, error), statusId].filter(Boolean).join(' ')}
        data-person-id={chosen?.id}
        onChange={(event) => onType(event.currentTarget.value)}
        onFocus={openList}
        onClick={openList}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={label} className="person-picker__list" hidden={!expanded || people.length === 0}>
        {people.map((person, i) => (
          <li
            key={person.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`person-picker__option${i === active ? ' is-active' : ''}`}
            // mousedown, not click: the input keeps focus, so its blur does not close the list first.
            onMouseDown={(event) => {
              event.preventDefault();
              choose(person);
            }}
            onMouseMove={() => setActive(i)}
          >
            <span className="person-picker__name">{person.displayName}</span>{' '}
            {person.email ? <span className="person-picker__email">{person.email}</span> : null}
            {person.erased ? (
              <span className="badge badge--muted">{t.erased}</span>
            ) : !person.active ? (
              <span className="badge badge--muted">{t.inactive}</span>
            ) : null}
            {person.activeHolds ? <span className="badge badge--warning">{format(t.held, { count: person.activeHolds })}</span> : null}
          </li>
        ))}
      </ul>
      <p id={statusId} className="visually-hidden" role="status" aria-live="polite">
        {expanded ? status : chosen ? format(t.chosen, { name: personLabel(chosen) }) : ''}
      </p>
      {expanded && (search.state !== 'done' || people.length === 0) ? <p className="person-picker__status muted">{status}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
