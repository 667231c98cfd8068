import type { ReactNode } from 'react';

/** The ids an input's aria-describedby names: its hint and its error, when shown. */
export const describedBy = (id: string, hint?: boolean | string, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** A labelled field around one control: hint above, optional note, error below. */
export function Field({
  id,
  label,
  hint,
  error,
  note,
  errorRole,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  note?: ReactNode;
  errorRole?: 'alert';
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {children}
      {note ? <p className="field__note">{note}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="field__error" role={errorRole}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A field of a filter bar or a short form: the label over its control, the hint and the error under it. */
export function CompactField({
  id,
  label,
  hint,
  error,
  grow,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  /** The field takes the room left in its row (a search box). */
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`field field--compact${grow ? ' field--grow' : ''}${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
