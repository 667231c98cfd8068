import {
  MAX_FIELD_ERRORS,
  MAX_FIELD_PATH_LENGTH,
  MAX_PROBLEM_INSTANCE_LENGTH,
  MAX_PROBLEM_TEXT_LENGTH,
  generalProblemDetail,
  problemDetailText,
  problemType,
  type FieldError,
  type Locale,
  type Problem,
  type ProblemCode,
  type ProblemDetailMessage,
} from '@retract/contracts';

const TITLES: Partial<Record<ProblemCode, string>> = {
  VALIDATION_FAILED: 'The request is not valid',
  MALFORMED_JSON: 'The request body is not valid JSON',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  UNAUTHENTICATED: 'Authentication required',
  INVALID_CREDENTIALS: 'Invalid credentials',
  SSO_REQUIRED: 'Sign-in through the identity provider is required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  VERSION_CONFLICT: 'The resource was changed by someone else',
  TOO_MANY_REQUESTS: 'Too many requests',
  LEGAL_HOLD_ACTIVE: 'A legal hold applies',
  INTERNAL: 'Internal error',
  SERVICE_UNAVAILABLE: 'Service unavailable',
  DATABASE_UNAVAILABLE: 'The database is unavailable',
  WINDOW_EXPIRED: 'The recall window has closed',
  TYPE_NOT_RECALLABLE: 'This kind of message cannot be recalled',
  ALREADY_RECALLED: 'The message was already recalled',
  NOT_SENDER: 'Only the sender may do this',
  REASON_REQUIRED: 'A reason is required',
  RATE_LIMITED: 'Too many recalls',
  BATCH_TOO_LARGE: 'Too many messages in one batch',
  BATCH_DISABLED: 'Batch recall is turned off',
  REEDIT_EXPIRED: 'The message can no longer be re-edited',
  RECALL_OFF: 'Recall is turned off here',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was used for another request',
  IDEMPOTENCY_KEY_IN_USE: 'A request with this Idempotency-Key is still being processed',
};

const DEFAULT_CODE_BY_STATUS: Record<number, ProblemCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

export function codeForStatus(status: number): ProblemCode {
  return DEFAULT_CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
}

export interface ProblemInit {
  status: number;
  code?: ProblemCode;
  title?: string;
  /** English detail written at the throw site; other languages get the code's general detail (docs/architecture.md). */
  detail?: string;
  /** The detail from the catalog (libs/contracts problem-details), in the reader's language; wins over `detail`. */
  message?: ProblemDetailMessage;
  errors?: FieldError[];
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Extra members (RFC 9457 extensions), e.g. `currentVersion`. */
  extensions?: Record<string, unknown>;
}

/** Cut to `max` UTF-16 code units, ending in an ellipsis, never in half a surrogate pair. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** Field errors within the document's bounds (docs/architecture.md, "API bounds"): a path built from a huge key, a message quoting one. */
const boundFieldError = (error: FieldError): FieldError => ({
  field: shorten(error.field, MAX_FIELD_PATH_LENGTH),
  message: shorten(error.message, MAX_PROBLEM_TEXT_LENGTH),
  code: error.code,
});

/** Thrown anywhere in the API; the filter renders it as application/problem+json. */
export class ProblemException extends Error {
  constructor(readonly init: ProblemInit) {
    super(ProblemException.detailIn(init, 'en') ?? init.title ?? init.code ?? String(init.status));
  }

  /** The detail in `locale`: the catalog message, else the throw site's English text, translated to the code's general detail. */
  private static detailIn(init: ProblemInit, locale: Locale): string | undefined {
    if (init.message) return problemDetailText(init.message, locale);
    if (!init.detail || locale === 'en') return init.detail;
    return generalProblemDetail(init.code ?? codeForStatus(init.status), locale);
  }

  /** The document in the reader's language: only `detail` changes; type, title and code stay stable. */
  toProblem(instance?: string, requestId?: string, locale: Locale = 'en'): Problem & Record<string, unknown> {
    const code = this.init.code ?? codeForStatus(this.init.status);
    const detail = ProblemException.detailIn(this.init, locale);
    return {
      type: problemType(code),
      title: this.init.title ?? TITLES[code] ?? code,
      status: this.init.status,
      ...(detail ? { detail: shorten(detail, MAX_PROBLEM_TEXT_LENGTH) } : {}),
      ...(instance && instance.length <= MAX_PROBLEM_INSTANCE_LENGTH ? { instance } : {}),
      code,
      ...(this.init.errors ? { errors: this.init.errors.slice(0, MAX_FIELD_ERRORS).map(boundFieldError) } : {}),
      ...(requestId ? { requestId } : {}),
      ...this.init.extensions,
    };
  }
}

/** Seconds a client should wait before retrying while the database is away (restart, failover). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

export const databaseUnavailable = (detail = 'The database is not reachable right now; try again shortly.') =>
  new ProblemException({ status: 503, code: 'DATABASE_UNAVAILABLE', detail, retryAfter: DATABASE_RETRY_AFTER_SECONDS });

export const notFound = (what = 'resource') => new ProblemException({ status: 404, code: 'NOT_FOUND', detail: `No such ${what}.` });
export const forbidden = (detail = 'Your roles do not allow this action.') => new ProblemException({ status: 403, code: 'FORBIDDEN', detail });
/** A person's token on a route that takes a service account's (docs/integration.md). */
export const serviceRouteForbidden = () =>
  new ProblemException({
    status: 403,
    code: 'FORBIDDEN',
    detail: "This route takes a service account's token (rtk_…), not a person's sign-in.",
    message: { key: 'FORBIDDEN.serviceRoute' },
  });
export const passwordChangeRequired = () =>
  new ProblemException({
    status: 403,
    code: 'FORBIDDEN',
    detail: 'Your password was reset by an administrator: choose a new one (PUT /api/v1/me/password) to continue.',
    extensions: { passwordChangeRequired: true },
  });
export const unauthenticated = (detail = 'Log in to continue.') => new ProblemException({ status: 401, code: 'UNAUTHENTICATED', detail });
export const conflict = (detail: string, code: ProblemCode = 'CONFLICT', extensions?: Record<string, unknown>) =>
  new ProblemException({ status: 409, code, detail, extensions });
