/**
 * The one error type the library throws. `code` is stable and meant for programs
 * (the API maps it to problem details, the verifier to a report line); `message`
 * is for people.
 */
export class AuditLogError extends Error {
  override readonly name = 'AuditLogError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
