'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { loginHref } from '../lib/next-path';

/** How often, at most, the browser checks its session while the user is active. */
const CHECK_EVERY_MS = 5 * 60_000;

/**
 * Keeps an active user's session alive and notices when it has ended.
 *
 * The API slides its session cookie (a fresh token once the old one is past half its life),
 * but only the browser can receive that cookie: pages call /api/v1/me from the console server,
 * which cannot pass a Set-Cookie back while rendering. So, on navigation and when the tab comes
 * back into view, at most every few minutes, the browser itself asks /api/v1/me (through the
 * same-origin rewrite). A 401 means the session is over: go to the login page, then come back.
 * An idle user is not kept alive: nothing is sent without navigation or a return to the tab.
 */
export function SessionKeeper() {
  const pathname = usePathname();
  const lastCheck = useRef<number | null>(null);

  useEffect(() => {
    function check() {
      const now = Date.now();
      // The server has just checked the session to render the first page.
      lastCheck.current ??= now;
      if (now - lastCheck.current < CHECK_EVERY_MS) return;
      lastCheck.current = now;
      fetch('/api/v1/me', { headers: { accept: 'application/json' }, cache: 'no-store' })
        .then((res) => {
          if (res.status === 401) window.location.assign(loginHref(`${window.location.pathname}${window.location.search}`, true));
        })
        .catch(() => {
          // offline or API down: the next page load reports it
        });
    }
    check();
    const onVisible = () => {
      if (document.visibilityState === 'visible') check();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [pathname]);

  return null;
}
