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
 * The navigation goes through GET /api/v1/auth/sso/logout, which ends the provider's session too
 * when the person signed in through one (RP-initiated logout, docs/identity.md).
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
        // After a provider sign-in this continues to the provider's sign-out and back to /login; else straight to /login.
        window.location.replace('/api/v1/auth/sso/logout');
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
