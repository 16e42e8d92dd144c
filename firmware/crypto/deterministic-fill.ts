// Fixed ISO 9564 format 4 fill for developer tools' --deterministic flag (reproducible blocks); never for PIN entry.

/**
 * The 8 "random" bytes of the ANSI X9.24-3-2017 supplement's format 4 example, so a tool's output can be
 * compared with the published blocks. Real PIN blocks take fresh random bytes (encodePinBlockFormat4's default).
 */
export const X9_24_3_EXAMPLE_FILL = '2F69ADDE2E9E7ACE';

/** A random source for encodePinBlockFormat4 that always returns the example fill. */
export function deterministicFill(n: number): Buffer {
  if (n !== 8) throw new RangeError(`the deterministic fill is 8 bytes, asked for ${n}`);
  return Buffer.from(X9_24_3_EXAMPLE_FILL, 'hex');
}
