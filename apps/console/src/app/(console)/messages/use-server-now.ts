'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * The server's time, ticking every second: countdowns compare with it, never with the browser's
 * clock (DESIGN §2). `serverNow` is the server's clock when the page was rendered; the offset to
 * the browser's is measured once on mount. Null until then (the server render shows no countdown).
 */
export function useServerNow(serverNow: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  const offset = useRef(0);
  useEffect(() => {
    offset.current = serverNow - Date.now();
    const tick = () => setNow(Date.now() + offset.current);
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [serverNow]);
  return now;
}
