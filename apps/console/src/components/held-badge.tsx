'use client';

import { format } from '../i18n/format';
import { useHoldCoverage } from '../lib/use-hold-coverage';

/**
 * A small "held" mark next to a person a compliance officer is shown: present while an active legal
 * hold covers them (on them, on the organisation, on a conversation with their recalled content, or
 * on someone they sent recalled content to). Nothing is shown while asking, when not held, or to
 * someone who may not read legal holds (the API refuses them).
 */
export function HeldBadge({ userId, label, heldBy }: { userId: string; label: string; heldBy: string }) {
  const coverage = useHoldCoverage(userId);
  if (coverage.state !== 'done' || !coverage.coverage.held) return null;
  const description = format(heldBy, { matters: coverage.coverage.holds.map((covering) => `“${covering.hold.matter}”`).join(', ') });
  return (
    <span className="badge badge--warning" title={description} data-testid="held-badge">
      {label}
      <span className="visually-hidden"> — {description}</span>
    </span>
  );
}
