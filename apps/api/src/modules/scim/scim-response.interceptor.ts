import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { SCIM_CONTENT_TYPE } from './scim-error.filter';

/**
 * SCIM answers are application/scim+json (RFC 7644 §3.1). A single resource carries its
 * meta.version as ETag (§3.14), and a created one its location as Location (§3.3).
 */
@Injectable()
export class ScimResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (value === undefined) return value;
        void reply.type(SCIM_CONTENT_TYPE);
        const meta = (value as { meta?: { version?: unknown; location?: unknown } }).meta;
        if (typeof meta?.version === 'string') void reply.header('etag', meta.version);
        if (reply.statusCode === 201 && typeof meta?.location === 'string') void reply.header('location', meta.location);
        return value;
      }),
    );
  }
}
