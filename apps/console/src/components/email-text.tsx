import { isPlaceholderEmail } from '@retract/contracts';

/** An email as the console shows it: a placeholder (a chat system's person without one, an erased person) reads as "no email". */
export const emailText = (email: string, noEmail: string): string => (isPlaceholderEmail(email) ? noEmail : email);

export function EmailText({ email, noEmail, className }: { email: string; noEmail: string; className?: string }) {
  if (!isPlaceholderEmail(email)) return <span className={className}>{email}</span>;
  return (
    <span className={`${className ?? ''} muted`.trim()} data-testid="no-email">
      {noEmail}
    </span>
  );
}
