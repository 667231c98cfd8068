import { ArgumentsHost, Catch, HttpException, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLocale, type Locale } from '@retract/contracts';
import { SessionEndedError, isDatabaseUnavailable } from '@retract/db';
import { ZodError } from 'zod';
import type { RequestWithPrincipal } from '../auth/principal';
import { SessionCache } from '../auth/session-cache';
import { unstorableText } from './postgres-errors';
import { ProblemException, codeForStatus, databaseUnavailable } from './problem';
import { zodIssuesToFieldErrors } from './zod-errors';

const FASTIFY_CODES: Record<string, ProblemException['init']> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The request body could not be parsed as JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The request body is empty but declared as JSON.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_JSON', detail: 'Content-Length does not match the body.' },
  // Answered by the router before any route runs (http-server.ts passes them here as frameworkErrors).
  FST_ERR_BAD_URL: { status: 400, code: 'VALIDATION_FAILED', detail: 'The URL is not valid (malformed percent-encoding).' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 400, code: 'VALIDATION_FAILED', detail: 'A path parameter is longer than any valid one.' },
};

/** Turns any thrown value into an RFC 9457 problem document; nothing internal reaches the client. */
export function toProblemException(error: unknown): ProblemException {
  if (error instanceof ProblemException) return error;
  if (error instanceof SessionEndedError)
    return new ProblemException({ status: 401, code: 'UNAUTHENTICATED', detail: 'Your session has ended; log in again.' });
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  if (error instanceof ZodError) {
    return new ProblemException({ status: 400, code: 'VALIDATION_FAILED', detail: 'Some fields are not valid.', errors: zodIssuesToFieldErrors(error) });
  }
  const refusedText = unstorableText(error);
  if (refusedText) return new ProblemException(refusedText);
  const fastifyCode = (error as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) return new ProblemException(FASTIFY_CODES[fastifyCode]);
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    return new ProblemException(FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 400 && /JSON/i.test(error.message)) return new ProblemException(FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY);
    if (status === 413) return new ProblemException(FASTIFY_CODES.FST_ERR_CTP_BODY_TOO_LARGE);
    if (status === 415) return new ProblemException(FASTIFY_CODES.FST_ERR_CTP_INVALID_MEDIA_TYPE);
    const response = error.getResponse();
    const detail = status === 404 ? 'No such route.' : typeof response === 'string' ? response : undefined;
    return new ProblemException({ status, code: codeForStatus(status), detail: status >= 500 ? undefined : detail });
  }
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new ProblemException({ status: statusCode, code: codeForStatus(statusCode) });
  }
  return new ProblemException({ status: 500, code: 'INTERNAL', detail: 'An unexpected error occurred; it has been logged.' });
}

/** The reader's language: the signed-in person's locale, else the request's Accept-Language, else English. */
export function problemLocale(request: FastifyRequest & RequestWithPrincipal): Locale {
  return request.principal?.locale ?? negotiateLocale(request.headers['accept-language']) ?? 'en';
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest & RequestWithPrincipal, error: unknown, logger: Logger): void {
  const problem = toProblemException(error);
  // A 503 is expected while the database is away (the change feed logs the outage once), not a defect.
  if (problem.init.status >= 500 && problem.init.status !== 503) {
    logger.error({ err: error, reqId: request.id }, 'unhandled error');
  }
  if (problem.init.retryAfter !== undefined) void reply.header('retry-after', String(problem.init.retryAfter));
  void reply
    .status(problem.init.status)
    .type('application/problem+json; charset=utf-8')
    .send(problem.toProblem(request.url.split('?')[0], String(request.id), problemLocale(request)));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(@Optional() private readonly sessions?: SessionCache) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithPrincipal>();
    // The database refused the session the cache vouched for: the cache must not vouch for it again.
    if (error instanceof SessionEndedError && request.principal) this.sessions?.drop(request.principal.sessionId);
    sendProblem(http.getResponse<FastifyReply>(), request, error, this.logger);
  }
}
