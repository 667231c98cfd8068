import type { RotationCounts, RotationProgress } from '../../../apps/api/src/modules/audit/key-rotation';

export const describeCounts = (c: RotationCounts) =>
  `${c.dataKeys} data keys, ${c.signingKeys} signing keys, ${c.webhookSecrets} webhook secrets, ${c.ssoClientSecrets} SSO client secrets, ` +
  `${c.messageKeys} message keys re-wrapped; ${c.messagesSealed} messages sealed`;

/**
 * How `npm run keys -- rotate` shows its progress (docs/keys.md, "Rotation"): on a terminal one line
 * updated after every batch; otherwise (a log, a pipe) a line for every organisation once it is done,
 * and within a long one a line at most every `intervalMs`.
 */
export function rotationProgressPrinter(write: (text: string) => void, tty: boolean, now: () => number = Date.now, intervalMs = 1000): RotationProgress {
  let lastLine = now();
  return ({ tenant, tenants, tenantId, counts, done }) => {
    const line = `organisation ${tenant}/${tenants} (${tenantId}): ${describeCounts(counts)}${done ? ' (done)' : ''}`;
    if (tty) {
      write(`\r${line}\x1b[K`);
      return;
    }
    if (done || now() - lastLine >= intervalMs) {
      write(`${line}\n`);
      lastLine = now();
    }
  };
}
