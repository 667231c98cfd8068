'use client';

import { useId, useState, type FormEvent } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import { fieldText } from '../../../lib/form-fields';

interface Props {
  /** Same-origin path to open afterwards (already checked by the server). */
  next: string;
  t: Dictionary['changePassword'];
}

const MIN_LENGTH = 12;

export function ChangePasswordForm({ next, t }: Props) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState('');
  const id = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const text = (name: string) => fieldText(data, name);
    const currentPassword = text('current');
    const newPassword = text('next');
    if (newPassword.length < MIN_LENGTH) return setMessage(t.tooShort);
    if (newPassword !== text('confirm')) return setMessage(t.mismatch);
    setPending(true);
    setMessage('');
    const res = await callApi<void>('/api/v1/me/password', { method: 'PUT', body: { currentPassword, newPassword } });
    if (res.ok) {
      // A full navigation: the server renders the console with the session now allowed everything.
      window.location.assign(next);
      return;
    }
    setPending(false);
    setMessage(
      res.status === 400 && res.problem.errors?.some((error) => error.field === 'currentPassword') ? t.wrongCurrent : format(t.failed, { status: res.status }),
    );
  }

  const field = (name: 'current' | 'next' | 'confirm', autoComplete: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`} className="field__label">
        {t[name]}
      </label>
      {hint ? (
        <p id={`${id}-${name}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input
        id={`${id}-${name}`}
        name={name}
        type="password"
        className="field__input"
        autoComplete={autoComplete}
        required
        aria-describedby={hint ? `${id}-${name}-hint` : undefined}
        data-testid={`change-password-${name}`}
      />
    </div>
  );

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <div className={`form__alert${message ? ' form__alert--error' : ''}`} role="alert" data-testid="change-password-alert">
        {message ? <span>{message}</span> : null}
      </div>
      {field('current', 'current-password')}
      {field('next', 'new-password', t.nextHint)}
      {field('confirm', 'new-password')}
      <button type="submit" className="button button--primary button--block" disabled={pending} aria-busy={pending} data-testid="change-password-submit">
        {pending ? t.submitting : t.submit}
      </button>
    </form>
  );
}
