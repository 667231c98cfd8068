/** Page size when the client names none, and the most one page holds (ServiceProviderConfig `filter.maxResults`). */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 200;

export interface PageWindow {
  /** 1-based, as answered in the ListResponse. */
  startIndex: number;
  offset: number;
  limit: number;
}

/**
 * RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0 (only totalResults is
 * answered), and a count above the maximum as the maximum. Values that are not integers count as absent.
 */
export function pageWindow(startIndex: number | undefined, count: number | undefined): PageWindow {
  const start = startIndex !== undefined && Number.isSafeInteger(startIndex) && startIndex > 1 ? startIndex : 1;
  const size = count !== undefined && Number.isSafeInteger(count) ? Math.min(Math.max(count, 0), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  return { startIndex: start, offset: start - 1, limit: size };
}
