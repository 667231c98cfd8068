/** What a day input shows until something is typed: ISO 8601, read the same way in every console language. */
export const DAY_FORMAT = 'yyyy-mm-dd';

/**
 * A UTC day typed as ISO yyyy-mm-dd, the same in every console language (docs/architecture.md,
 * "Languages"): a browser's date picker follows the browser's language, not the page's, and showed
 * "mm/dd/yyyy" in the Chinese console. `utcDayBound` (i18n/dates.ts) reads the value. For the same
 * reason a day that does not match says so in the console's language (`formatMessage`), not in
 * the browser's "Please match the requested format."
 */
export function DayInput({
  id,
  name,
  defaultValue,
  invalid,
  describedBy,
  formatMessage,
}: {
  id: string;
  name: string;
  defaultValue?: string;
  invalid?: boolean;
  /** The ids of the hint and error that describe it (components/field.tsx). */
  describedBy?: string;
  /** What a day not typed as yyyy-mm-dd is told, in the console's language (table.dayFormat). */
  formatMessage: string;
}) {
  return (
    <input
      id={id}
      name={name}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      maxLength={10}
      pattern="\d{4}-\d{2}-\d{2}"
      placeholder={DAY_FORMAT}
      className="field__input field__input--day"
      defaultValue={defaultValue}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onInvalid={(event) => event.currentTarget.setCustomValidity(event.currentTarget.validity.patternMismatch ? formatMessage : '')}
      onInput={(event) => event.currentTarget.setCustomValidity('')}
    />
  );
}
