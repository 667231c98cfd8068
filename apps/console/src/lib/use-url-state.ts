'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useTransition } from 'react';

export type UrlPatch = Record<string, string | number | null | undefined>;

/**
 * Filters, page position and the open detail live in the URL, so a view can be shared,
 * bookmarked and reloaded (STYLE habit 10). `set` merges a patch into the current query
 * (empty values remove a key) and navigates; the server page re-renders with the new
 * `searchParams`. `pending` is true until that render has arrived.
 */
export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  const hrefWith = useCallback(
    (patch: UrlPatch) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || value === null || value === '') next.delete(key);
        else next.set(key, String(value));
      }
      const query = next.toString();
      return query ? `${pathname}?${query}` : pathname;
    },
    [params, pathname],
  );

  const set = useCallback(
    (patch: UrlPatch, options: { replace?: boolean } = {}) => {
      const href = hrefWith(patch);
      startTransition(() => {
        if (options.replace) router.replace(href, { scroll: false });
        else router.push(href, { scroll: false });
      });
    },
    [hrefWith, router],
  );

  return { params, set, hrefWith, pending };
}
