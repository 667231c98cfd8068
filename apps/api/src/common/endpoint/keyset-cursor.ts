import { ProblemException } from '../problem/problem';

/*
 * Keyset cursors of the newest-first lists (conversations, messages, webhook deliveries): base64url
 * of "<time>|<id>" of a page's last row. Only what the API emits is accepted — the time as
 * Date.toISOString() writes it with a four-digit year, the id as PostgreSQL writes a uuid — so a
 * forged cursor is a 400, never a time PostgreSQL cannot hold (a 500 before).
 */

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface KeysetPosition {
  at: Date;
  id: string;
}

export const invalidCursor = () =>
  new ProblemException({
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: 'The cursor is not valid.',
    errors: [{ field: 'query.cursor', message: 'is not a cursor this API returned', code: 'invalid_cursor' }],
  });

export const encodeKeysetCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');

export function decodeKeysetCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (!cursor) return undefined;
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const at = match ? new Date(match[1]) : undefined;
  if (!match || !at || Number.isNaN(at.getTime())) throw invalidCursor();
  return { at, id: match[2] };
}
