/**
 * The file an audit export is saved as: the name the API gives it (audit-<time>-<first>-<last>.jsonl,
 * apps/api/src/modules/audit/audit.controller.ts), which the offline verifier's command must name.
 */
export function exportFileName(res: Response, format: 'jsonl' | 'csv'): string {
  return /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `audit-export.${format}`;
}

const LAST_EXPORT_KEY = 'retract.audit.lastJsonlExport';

/** Remembers, for this browser tab's session, the last JSON Lines export saved, so the Integrity page can name it. */
export function rememberJsonlExport(file: string): void {
  try {
    sessionStorage.setItem(LAST_EXPORT_KEY, file);
  } catch {
    // Storage refused: the Integrity page shows the file name's pattern instead.
  }
}

export function lastJsonlExport(): string | null {
  try {
    return sessionStorage.getItem(LAST_EXPORT_KEY);
  } catch {
    return null;
  }
}
