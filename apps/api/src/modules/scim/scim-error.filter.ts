import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import { ScimError, scimErrorBody, type ScimErrorBody, type ScimType } from '@retract/scim';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../../common/problem/problem';
import { toProblemException } from '../../common/problem/problem.filter';
import { SCIM_ROOT } from '../openapi/route-catalog';
import { isUniqueViolation } from '../messages/db-errors';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** The SCIM error of a refusal made in the API's own terms (a guard's 401/403/429, a validation failure, a 409). */
function fromProblem(error: unknown): { body: ScimErrorBody; retryAfter?: number } {
  if (isUniqueViolation(error)) return { body: scimErrorBody(409, 'Another resource has this value.', 'uniqueness') };
  const { init } = toProblemException(error);
  const scimType: ScimType | undefined =
    init.status === 400 ? (init.code === 'MALFORMED_JSON' ? 'invalidSyntax' : 'invalidValue') : init.status === 413 ? 'tooMany' : undefined;
  const fields = init.errors?.length ? ` ${init.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` : '';
  const detail =
    init.status >= 500 && init.status !== 503
      ? 'An unexpected error occurred; it has been logged.'
      : `${init.detail ?? init.title ?? init.code ?? ''}${fields}`.trim();
  return { body: scimErrorBody(init.status, detail.slice(0, 1000) || undefined, scimType), retryAfter: init.retryAfter };
}

/**
 * Errors of the /scim/v2 routes in RFC 7644 §3.12's shape (`schemas`, `status` as a string,
 * `scimType`, `detail`) as application/scim+json, not the RFC 9457 problem documents of /api/v1:
 * SCIM clients (Okta, Entra ID) read `scimType` and `status` to decide whether to retry, match
 * instead of create, or report a configuration error, and treat other bodies as failures they
 * cannot interpret (docs/identity.md, "Why SCIM errors").
 */
@Catch()
export class ScimErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScimErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { body, retryAfter } = error instanceof ScimError ? { body: error.toBody(), retryAfter: undefined } : fromProblem(error);
    const status = Number(body.status);
    if (status >= 500 && status !== 503) this.logger.error({ err: error, reqId: request.id }, 'unhandled error');
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    void reply.status(status).type(SCIM_CONTENT_TYPE).send(body);
  }
}

/**
 * What is answered before a SCIM route runs (the per-address request limit, a body that is not JSON,
 * an unknown path under /scim/v2) comes from the API-wide handlers as a problem document: under
 * /scim/v2 it leaves as the same SCIM error the routes answer.
 */
export function useScimErrors(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(`/${SCIM_ROOT}/`) || !String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json')) return payload;
    let problem: { status?: unknown; code?: unknown; detail?: unknown; errors?: unknown };
    try {
      problem = JSON.parse(String(payload)) as typeof problem;
    } catch {
      return payload;
    }
    const status = typeof problem.status === 'number' ? problem.status : reply.statusCode;
    const { body } = fromProblem(
      new ProblemException({
        status,
        code: typeof problem.code === 'string' ? (problem.code as ProblemException['init']['code']) : undefined,
        detail: typeof problem.detail === 'string' ? problem.detail : undefined,
        errors: Array.isArray(problem.errors) ? (problem.errors as ProblemException['init']['errors']) : undefined,
      }),
    );
    void reply.type(SCIM_CONTENT_TYPE);
    return JSON.stringify(body);
  });
}
