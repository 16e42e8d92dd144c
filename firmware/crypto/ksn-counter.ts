// DUKPT transaction-counter rules shared by TDES (21 bits, <= 10 ones) and AES (32 bits, <= 16 ones) DUKPT.

/** Counter geometry of a DUKPT scheme. */
export interface CounterRules {
  /** Width of the counter in bits (21 for X9.24-1 TDES, 32 for X9.24-3 AES). */
  bits: number;
  /** Most one-bits a usable counter may have (10 for TDES, 16 for AES). */
  maxOnes: number;
}

export const TDES_COUNTER: CounterRules = { bits: 21, maxOnes: 10 };
export const AES_COUNTER: CounterRules = { bits: 32, maxOnes: 16 };

/** Number of one-bits of a non-negative integer below 2^53. */
export function popcount(n: number): number {
  let ones = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) ones += v % 2;
  return ones;
}

/** Value of the lowest set bit of a positive integer below 2^53 (works past 2^31, unlike `n & -n`). */
function lowestSetBit(n: number): number {
  let bit = 1;
  while (Math.floor(n / bit) % 2 === 0) bit *= 2;
  return bit;
}

/** True when `counter` may be used for a transaction: 1..2^bits-1 with at most `maxOnes` one-bits. */
export function isValidCounter(counter: number, rules: CounterRules): boolean {
  return Number.isInteger(counter) && counter > 0 && counter < 2 ** rules.bits && popcount(counter) <= rules.maxOnes;
}

/**
 * Smallest valid counter greater than `counter`, or undefined when none is left.
 * For a counter with fewer than `maxOnes` ones this is counter + 1; at `maxOnes` ones
 * it is counter + (lowest set bit), which skips every value with too many ones.
 */
export function nextCounter(counter: number, rules: CounterRules): number | undefined {
  const limit = 2 ** rules.bits;
  let candidate = counter + 1;
  // Each step clears the lowest set bit (carry), so `bits + 1` steps always reach a valid value or the limit.
  for (let step = 0; step <= rules.bits + 1; step++) {
    if (candidate >= limit) return undefined;
    if (popcount(candidate) <= rules.maxOnes) return candidate;
    candidate += lowestSetBit(candidate);
  }
  return undefined;
}
