import Link from 'next/link';

/**
 * The pager of a list read page by page with a cursor in the URL: back to the first page when the
 * list is not on it, on to the next page when there is one; nothing when the list fits one page.
 */
export function CursorPager({
  label,
  first,
  next,
}: {
  /** The list's name, for the navigation landmark. */
  label: string;
  /** The link back to the first page, when not on it. */
  first?: { href: string; text: string };
  /** The link to the next page, when there is one. */
  next?: { href: string; text: string };
}) {
  if (!first && !next) return null;
  return (
    <nav className="pager" aria-label={label}>
      {first ? (
        <Link className="button button--quiet" href={first.href}>
          {first.text}
        </Link>
      ) : null}
      {next ? (
        <Link className="button button--quiet" href={next.href}>
          {next.text}
        </Link>
      ) : null}
    </nav>
  );
}
