import { HttpCode, SetMetadata, applyDecorators } from '@nestjs/common';
import type { Action, SubjectName } from '@retract/authz';
import type { ZodType } from 'zod';

/** Who may call a route. Every route declares one; a route without it is refused (deny by default). */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'platform' }
  /** The metrics scraper: bearer METRICS_TOKEN when it is set, anyone otherwise. */
  | { kind: 'metrics' }
  | { kind: 'ability'; action: Action; subject: SubjectName };

export const PUBLIC: Access = { kind: 'public' };
export const AUTHENTICATED: Access = { kind: 'authenticated' };
export const PLATFORM_OPERATOR: Access = { kind: 'platform' };
export const METRICS_SCRAPER: Access = { kind: 'metrics' };
export const can = (action: Action, subject: SubjectName): Access => ({ kind: 'ability', action, subject });

export interface EndpointSpec {
  summary: string;
  access: Access;
  tags?: string[];
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  /** Request headers the route reads, for the OpenAPI document (the handler checks them: docs/integration.md, "Idempotency"). */
  requestHeaders?: ZodType;
  /** The only shape that leaves the handler: anything not in it is stripped. */
  response?: ZodType;
  status?: number;
  /** Non-JSON responses (streams, exports). */
  produces?: string;
  /** Documented error statuses besides the generic ones. */
  errors?: number[];
  /**
   * A read that records an audit entry in the caller's name (a content view, an export): made with
   * the browser's session cookie, it must come from the console, like a write (docs/architecture.md).
   */
  auditedRead?: boolean;
  /**
   * Allowed to a session whose password an administrator reset (reading `/me`, changing the
   * password, logging out); every other route answers 403 until the user has chosen their own.
   */
  beforePasswordChange?: boolean;
}

export const ENDPOINT = Symbol('retract:endpoint');

/** One declaration per route: access, request and response schemas, and documentation. */
export const Endpoint = (spec: EndpointSpec) =>
  spec.status ? applyDecorators(SetMetadata(ENDPOINT, spec), HttpCode(spec.status)) : SetMetadata(ENDPOINT, spec);

export function describeAccess(access: Access): string {
  return access.kind === 'ability' ? `${access.action} ${access.subject}` : access.kind;
}
