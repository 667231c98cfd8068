import type { FieldError } from '@retract/contracts';
import type { ZodError } from 'zod';

export function zodIssuesToFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const unknownKeys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys : undefined;
    const field = [prefix, unknownKeys?.length ? [path, unknownKeys[0]].filter(Boolean).join('.') : path].filter(Boolean).join('.') || '(body)';
    return { field, message: issue.message, code: issue.code };
  });
}
