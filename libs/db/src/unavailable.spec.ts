import { isDatabaseUnavailable } from './unavailable';

/** The shapes below are those pg, pg-pool and Prisma's driver adapter produce (seen in database-outage.e2e-spec.ts and the restart scenario). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });
const prismaWrapped = (cause: object, code = 'P2010') =>
  Object.assign(new Error('Raw query failed.'), { code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' })],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['admin shutdown (fast stop, pg_terminate_backend)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['cannot connect now (starting or stopping)', pgError('57P03', 'the database system is shutting down')],
    ['connection exception class 08 (PgBouncer)', pgError('08P01', 'server conn crashed?')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg-pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg: client not queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['Prisma: P1001', Object.assign(new Error("Can't reach database server at 127.0.0.1:1"), { code: 'P1001' })],
    ['Prisma: P1017 server closed the connection', Object.assign(new Error('Server has closed the connection.'), { code: 'P1017' })],
    ['Prisma adapter: DatabaseNotReachable', prismaWrapped({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 })],
    ['Prisma adapter: postgres 57P01', prismaWrapped({ kind: 'postgres', code: '57P01', message: 'terminating connection due to administrator command' })],
    ['wrapped as a cause', new Error('work failed', { cause: pgError('57P01', 'terminating connection due to administrator command') })],
  ])('%s: unavailable', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['session ended (app_enter)', pgError('RT401', 'the session has ended')],
    ['NUL in text', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['serialization failure', pgError('40001', 'could not serialize access')],
    ['Prisma: unique constraint', prismaWrapped({ kind: 'UniqueConstraintViolation' }, 'P2002')],
    ['a plain error', new Error('something else')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('%s: not unavailable', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
