import type { VerifyProgress } from '@retract/audit-log';

/**
 * Progress on stderr: rewritten in place on a terminal, one line per few seconds in logs.
 * Throttled by time so that a fast verifier does not spend its time printing.
 */
export function progressReporter(stream: NodeJS.WriteStream, now: () => number = Date.now) {
  const interactive = Boolean(stream.isTTY);
  const interval = interactive ? 250 : 5000;
  const startedAt = now();
  let lastPrinted = startedAt;
  let printed = false;

  return {
    onProgress: (progress: VerifyProgress): void => {
      const time = now();
      if (time - lastPrinted < interval) return;
      lastPrinted = time;
      printed = true;
      stream.write(`${interactive ? '\r' : ''}${describe(progress, time - startedAt)}${interactive ? '\x1b[K' : '\n'}`);
    },
    done: (): void => {
      if (printed && interactive) stream.write('\r\x1b[K');
    },
  };
}

export function describe(progress: VerifyProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((progress.entries / elapsedMs) * 1000) : 0;
  const share = progress.expectedEntries > 0 ? ` (${((100 * progress.entries) / progress.expectedEntries).toFixed(1)}%)` : '';
  return `verifying: ${progress.entries.toLocaleString('en-US')} of ${progress.expectedEntries.toLocaleString('en-US')} entries${share}, ${rate.toLocaleString('en-US')} entries/s`;
}
