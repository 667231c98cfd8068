'use client';

import { useState } from 'react';

/**
 * Copies `text` to the clipboard and says so for a moment (and to screen readers). `name` is the
 * button's accessible name when "Copy" alone would not say what is copied.
 */
export function CopyButton({ text, label, copiedLabel, name }: { text: string; label: string; copiedLabel: string; name?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button--quiet button--small"
      aria-label={name}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          // clipboard refused (insecure context): the text stays selectable
        }
      }}
    >
      <span aria-live="polite">{copied ? copiedLabel : label}</span>
    </button>
  );
}
