'use client';

/**
 * An action that asks before it happens: a quiet button that, once pressed,
 * becomes the question with a danger-styled confirm and a cancel.
 */
export function ConfirmAction({
  open,
  question,
  label,
  confirmLabel,
  cancelLabel,
  busy,
  onOpen,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  question: string;
  label: string;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onOpen: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  if (!open) {
    return (
      <button type="button" className="button button--quiet button--small" onClick={onOpen}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm__text">{question}</span>
      <button type="button" className="button button--danger button--small" disabled={busy} onClick={onConfirm} autoFocus>
        {confirmLabel}
      </button>
      <button type="button" className="button button--quiet button--small" onClick={onCancel}>
        {cancelLabel}
      </button>
    </span>
  );
}
