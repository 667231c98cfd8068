'use client';

import { useState } from 'react';

interface Props {
  label: string;
  pendingLabel: string;
  failedLabel: string;
}

/**
 * Ends the session through the API (which clears its httpOnly cookie), then loads the login
 * page with a full navigation so no page of the signed-in user stays in the client router cache.
 */
export function LogoutButton({ label, pendingLabel, failedLabel }: Props) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function logout() {
    setPending(true);
    setFailed(false);
    try {
      const res = await fetch('/api/v1/auth/logout', {
        method: 'POST',
        headers: { accept: 'application/json, application/problem+json' },
      });
      // 401: the session had already ended, which is what the user wants.
      if (res.ok || res.status === 401) {
        window.location.replace('/login');
        return;
      }
    } catch {
      // network failure: report below
    }
    setPending(false);
    setFailed(true);
  }

  return (
    <div className="logout">
      <button type="button" className="button button--quiet" onClick={logout} disabled={pending} aria-busy={pending}>
        {pending ? pendingLabel : label}
      </button>
      <p className="logout__error" role="alert">
        {failed ? failedLabel : ''}
      </p>
    </div>
  );
}
