/** Figures a scenario prints (straight to stdout, without Jest's console decoration). */
export function report(scenario: string, lines: string | string[]): void {
  for (const line of Array.isArray(lines) ? lines : [lines]) process.stdout.write(`[${scenario}] ${line}\n`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it answers true; throws `what` after `timeoutMs`. */
export async function eventually(what: string, timeoutMs: number, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}
