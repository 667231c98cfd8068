'use client';

import { useRef, useState } from 'react';
import { setLocale } from '../i18n/actions';
import { callApi } from '../lib/client-api';

export interface LocaleOption {
  value: string;
  label: string;
}

/**
 * Language picker. Signed in, it changes the person's own language first (PATCH /api/v1/me), so
 * recall notices, problem details and their next sign-in on any device follow it; then, as on the
 * login page, it submits to a server action that stores the `retract_locale` cookie, after which
 * the page re-renders in that language. Options come from the server so no dictionary is bundled here.
 */
export function LocaleSwitcher({
  current,
  label,
  options,
  persist,
}: {
  current: string;
  label: string;
  options: LocaleOption[];
  /** Signed in: the words shown when the person's language could not be saved. */
  persist?: { failed: string };
}) {
  const form = useRef<HTMLFormElement>(null);
  const [failed, setFailed] = useState(false);

  async function choose(locale: string) {
    setFailed(false);
    if (persist) {
      const res = await callApi('/api/v1/me', { method: 'PATCH', body: { locale } });
      if (!res.ok) {
        setFailed(true);
        return;
      }
    }
    form.current?.requestSubmit();
  }

  return (
    <form ref={form} action={setLocale} className="locale-switcher">
      <label htmlFor="locale-select" className="visually-hidden">
        {label}
      </label>
      <select
        key={current}
        id="locale-select"
        name="locale"
        className="locale-switcher__select"
        defaultValue={current}
        onChange={(event) => void choose(event.currentTarget.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} lang={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {failed && persist ? (
        <span className="field__error" role="alert">
          {persist.failed}
        </span>
      ) : null}
    </form>
  );
}
