/**
 * Verifies a range in parts so a long log shows progress and can be stopped. Part boundaries
 * fall on multiples of the part size, where the service has usually signed a checkpoint
 * already (every 100 entries), so checking does not mint a signature per part.
 */
export function partsOf(from: number, to: number): [number, number][] {
  const span = to - from + 1;
  const size = span <= 20_000 ? span : Math.max(10_000, Math.ceil(Math.ceil(span / 50) / 1000) * 1000);
  const parts: [number, number][] = [];
  let start = from;
  while (start <= to) {
    const end = Math.min(to, span <= 20_000 ? to : (Math.floor(start / size) + 1) * size - 1);
    parts.push([start, end]);
    start = end + 1;
  }
  return parts;
}
