// Strict hex text <-> bytes for keys, KSNs and PIN blocks typed by people (CLI, config); upper-case output.

/** Bad hex text or a byte length the caller does not accept. The message never echoes the text (it may be a key). */
export class HexInputError extends RangeError {
  override readonly name = 'HexInputError';
}

/**
 * Parses hex digits (either case) into bytes.
 * @param what names the value in error messages, e.g. "--bdk".
 * @param lengths accepted byte lengths; any length when omitted.
 * @throws HexInputError for non-hex characters, an odd digit count or a length not in `lengths`.
 */
export function parseHex(text: string, what: string, lengths?: readonly number[]): Buffer {
  if (typeof text !== 'string' || text.length === 0) throw new HexInputError(`${what} must be hex digits, got nothing`);
  if (!/^[0-9a-fA-F]+$/.test(text)) throw new HexInputError(`${what} must contain hex digits only (0-9, A-F)`);
  if (text.length % 2 !== 0) throw new HexInputError(`${what} must have an even number of hex digits, got ${text.length}`);
  const bytes = Buffer.from(text, 'hex');
  if (lengths && !lengths.includes(bytes.length)) {
    const want = lengths.map((n) => `${n} bytes (${n * 2} hex digits)`).join(' or ');
    throw new HexInputError(`${what} must be ${want}, got ${bytes.length} byte${bytes.length === 1 ? '' : 's'}`);
  }
  return bytes;
}

/** Upper-case hex of `bytes`. */
export function toHex(bytes: Buffer): string {
  return bytes.toString('hex').toUpperCase();
}
