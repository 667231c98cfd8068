/** What just succeeded, announced politely; nothing when there is no message. */
export function SuccessNotice({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <p className="notice notice--success" role="status" data-testid={testId}>
      {message}
    </p>
  );
}
