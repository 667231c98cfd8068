import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { ZodType } from 'zod';
import { ProblemException } from '../problem/problem';
import { zodIssuesToFieldErrors } from '../problem/zod-errors';
import { ENDPOINT, type EndpointSpec } from './endpoint';

function parsePart(schema: ZodType | undefined, value: unknown, prefix?: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value ?? (prefix === 'query' ? {} : value));
  if (result.success) return result.data;
  throw new ProblemException({
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: 'Some fields are not valid.',
    errors: zodIssuesToFieldErrors(result.error, prefix),
  });
}

/** Validates params, query and body against the route's schemas and maps the result through its response schema. */
@Injectable()
export class EndpointInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT, context.getHandler());
    if (!spec || context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { params: unknown; query: unknown; body: unknown }>();
    request.params = parsePart(spec.params, request.params, 'params');
    request.query = parsePart(spec.query, request.query, 'query');
    if (spec.body) {
      const missing = request.body === undefined || request.body === null;
      // A body whose fields are all optional may be left out entirely.
      if (missing && !spec.body.safeParse({}).success) {
        throw new ProblemException({
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: 'A JSON body is required.',
          errors: [{ field: '(body)', message: 'required', code: 'invalid_type' }],
        });
      }
      request.body = parsePart(spec.body, missing ? {} : request.body);
    }
    const response = spec.response;
    return next.handle().pipe(map((value: unknown) => (response && value !== undefined ? response.parse(value) : value)));
  }
}
