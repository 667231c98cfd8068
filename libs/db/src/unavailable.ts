/**
 * Whether an error means the database could not be reached or went away mid-request (server
 * stopped or restarting, connection refused, reset or timed out, pool exhausted past its wait),
 * as opposed to an error in the request itself. Such a request may succeed when retried: the API
 * answers 503 with Retry-After (docs/architecture.md "Database outages").
 *
 * Errors arrive from `pg` directly (socket errors, SQLSTATEs, its own messages) or wrapped by
 * Prisma (error codes, `meta.driverAdapterError.cause.kind`), so the cause chain is walked.
 */

/** Socket errors of the connection to PostgreSQL (or to a pooler in front of it). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs: class 08 (connection exception; PgBouncer reports its own failures as 08P01),
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting or stopping),
 * 53300 too many connections.
 */
const isUnavailableSqlState = (code: string) => code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';

/** Prisma: P1001 can't reach, P1002 timed out, P1017 server closed the connection, P2024 pool timeout. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);

/** Prisma's driver-adapter error kinds for the same conditions. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/** `pg` and `pg-pool` report a lost or unobtainable connection with these messages (and no code). */
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Can't reach database server/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
];

type ErrorLike = { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 12; i++) {
    const e = seen[i] as ErrorLike;
    if (!e || typeof e !== 'object') continue;
    for (const code of [e.code, e.originalCode]) {
      if (typeof code !== 'string') continue;
      if (SOCKET_CODES.has(code) || PRISMA_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code))) return true;
    }
    if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
    seen.push(e.cause, e.meta?.driverAdapterError);
  }
  return false;
}
