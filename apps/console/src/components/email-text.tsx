import { isPlaceholderEmail } from '@retract/contracts';

const knownEmail = (email: string | null): email is string => email !== null && !isPlaceholderEmail(email);

/**
 * An email as the console shows it: none (the API answers null for a person it knows no address for)
 * or a placeholder (a chat system's person without one, an erased person) reads as "no email".
 */
export const emailText = (email: string | null, noEmail: string): string => (knownEmail(email) ? email : noEmail);

/** A person as one line: "name <email>", or the name alone when there is no address. */
export const personLabel = (person: { displayName: string; email: string | null }): string =>
  knownEmail(person.email) ? `${person.displayName} <${person.email}>` : person.displayName;

export function EmailText({ email, noEmail, className }: { email: string | null; noEmail: string; className?: string }) {
  if (knownEmail(email)) return <span className={className}>{email}</span>;
  return (
    <span className={`${className ?? ''} muted`.trim()} data-testid="no-email">
      {noEmail}
    </span>
  );
}
