// Typed error of the TR-31 / ANSI X9.143 key block codec: a machine code and a message naming what failed.

/** What made a key block (or an argument to the codec) unusable. */
export type Tr31ErrorCode =
  | 'characters' // a character outside printable ASCII, or a non-hex digit where hex is required
  | 'truncated' // shorter than its length field says, or too short to hold a header, a payload and a MAC
  | 'length-field' // length field not 4 digits, not the block's length, or not a multiple of the cipher block
  | 'version' // key block version ID this codec does not read (only A, B, C and D)
  | 'header' // a fixed header field is malformed (key usage, algorithm, mode of use, ...)
  | 'optional-block' // an optional block is malformed, or the header is not padded to the cipher block
  | 'kbpk' // the key block protection key has a length/algorithm the version cannot use
  | 'mac' // the MAC does not verify: wrong KBPK, or the block was altered
  | 'key-length' // the decrypted key length field is not whole bytes, overruns the payload or misfits the algorithm
  | 'kcv' // a KC (key) or KP (KBPK) check value in the header does not match
  | 'key-usage' // the key usage is not one the caller accepts
  | 'mode-of-use' // the mode of use is not one the caller accepts
  | 'algorithm' // the wrapped key's algorithm is not one the caller accepts
  | 'input'; // encode: a bad argument (header field, key, masking length)

/**
 * Raised when a key block cannot be read or written. The message says exactly what failed; it never contains
 * key material (clear key, KBPK, derived keys) nor the encrypted payload.
 */
export class Tr31Error extends Error {
  override readonly name = 'Tr31Error';
  constructor(
    readonly code: Tr31ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
