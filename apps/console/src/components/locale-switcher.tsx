'use client';

import { setLocale } from '../i18n/actions';

export interface LocaleOption {
  value: string;
  label: string;
}

/**
 * Language picker: submits to a server action that stores the `retract_locale` cookie, after
 * which the page re-renders in that language. Options come from the server so no dictionary is
 * bundled here.
 */
export function LocaleSwitcher({ current, label, options }: { current: string; label: string; options: LocaleOption[] }) {
  return (
    <form action={setLocale} className="locale-switcher">
      <label htmlFor="locale-select" className="visually-hidden">
        {label}
      </label>
      <select
        key={current}
        id="locale-select"
        name="locale"
        className="locale-switcher__select"
        defaultValue={current}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} lang={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </form>
  );
}
