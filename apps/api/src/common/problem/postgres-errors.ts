import type { ProblemInit } from './problem';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a PostgreSQL error, as pg reports it (`code`) or as Prisma wraps it (its driver adapter's cause). */
export function sqlStateOf(error: unknown): string | undefined {
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 8; i++) {
    const e = seen[i] as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null;
    if (!e || typeof e !== 'object') continue;
    // Prisma's own `code` (P2010…) looks like a SQLSTATE: the database's is in the adapter error.
    if (e.meta?.driverAdapterError) {
      seen.push(e.meta.driverAdapterError);
      continue;
    }
    if (typeof e.originalCode === 'string' && SQLSTATE.test(e.originalCode)) return e.originalCode;
    if (typeof e.code === 'string' && SQLSTATE.test(e.code)) return e.code;
    seen.push(e.cause);
  }
  return undefined;
}

/** 22021 invalid byte sequence (NUL in text), 22P05 untranslatable character (NUL in jsonb). */
const UNSTORABLE_TEXT_SQLSTATES = new Set(['22021', '22P05']);

/**
 * PostgreSQL refused a string of the request (docs/architecture.md, "Free text"). The request
 * schemas refuse such text by field first; this answers the same 400 should any slip past them.
 */
export const unstorableText = (error: unknown): ProblemInit | undefined =>
  UNSTORABLE_TEXT_SQLSTATES.has(sqlStateOf(error) ?? '')
    ? { status: 400, code: 'VALIDATION_FAILED', detail: 'The request contains text that cannot be stored: NUL characters or unpaired surrogates.' }
    : undefined;
