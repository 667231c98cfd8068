/**
 * Index arithmetic for RFC 9162 trees. Sizes and indexes are plain numbers up to
 * 2^53 - 1; JavaScript's bitwise operators would cut them to 32 bits, so everything here
 * uses arithmetic instead.
 */

/** A perfect subtree of 2^level leaves starting at leaf index × 2^level (level 0 = one leaf). */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The largest power of two strictly smaller than n (n ≥ 2): RFC 9162's split point k. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

export function half(n: number): number {
  return Math.floor(n / 2);
}

/** Number of set bits: how many perfect subtrees a tree of this size is made of. */
export function countOnes(n: number): number {
  let count = 0;
  for (; n > 0; n = half(n)) if (isOdd(n)) count++;
  return count;
}

/**
 * The leaf range [start, end) as maximal aligned perfect subtrees, left to right. For
 * the ranges that RFC 9162's MTH, PATH and PROOF use (start aligned to the enclosing
 * subtree) the sizes strictly decrease, and folding the hashes from the right gives
 * MTH of the range.
 */
export function perfectSubtrees(start: number, end: number): NodeRef[] {
  const refs: NodeRef[] = [];
  while (start < end) {
    let level = 0;
    let width = 1;
    while (start % (width * 2) === 0 && start + width * 2 <= end) {
      width *= 2;
      level++;
    }
    refs.push({ level, index: start / width });
    start += width;
  }
  return refs;
}
