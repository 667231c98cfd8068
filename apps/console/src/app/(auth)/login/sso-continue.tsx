'use client';

import { useEffect } from 'react';

/**
 * The last hop of a sign-in through the provider (docs/identity.md, "How sign-in works"): the
 * redirect chain began on the provider's site, so the SameSite=Strict session cookie did not come
 * with it; this page's own navigation is same-site and carries it.
 */
export function SsoContinue({ next, label }: { next: string; label: string }) {
  useEffect(() => {
    window.location.replace(next);
  }, [next]);
  return (
    <p className="muted" role="status" data-testid="login-sso-continue">
      {label}
    </p>
  );
}
