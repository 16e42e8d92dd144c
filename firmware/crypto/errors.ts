// Typed errors of the PIN crypto module: PinBlockError (PIN block content) and DukptError (keys, KSNs, counters).

/** Why a PIN block (or the PIN/PAN going into one) was refused. */
export type PinBlockReason =
  | 'block-length' // enciphered/clear block of the wrong size
  | 'control-field' // first nibble is not the expected format number
  | 'pin-length' // PIN length outside 4..12 (input PIN or length nibble)
  | 'pin-digits' // a PIN nibble/character that is not a decimal digit
  | 'fill' // fill nibbles are not F (format 0) / A (format 4)
  | 'pan' // PAN missing, not digits or of a length the format cannot bind
  | 'key' // PIN encryption key of an unusable length
  | 'format'; // format does not match the DUKPT scheme / block

/**
 * Raised when a PIN block cannot be built or does not decode to a valid PIN.
 * The message says why; it never contains PIN digits, the PAN or key material.
 */
export class PinBlockError extends Error {
  override readonly name = 'PinBlockError';
  constructor(
    readonly reason: PinBlockReason,
    message: string,
  ) {
    super(message);
  }
}

/** Why a DUKPT operation was refused. */
export type DukptReason =
  | 'key-length' // BDK / initial key of the wrong size for the scheme
  | 'ksn-length' // KSN of the wrong size for the scheme
  | 'scheme' // key and KSN lengths name no scheme
  | 'counter-zero' // counter 0 is the initial KSN, never a transaction
  | 'counter-bits' // counter has more one-bits than the scheme allows
  | 'exhausted'; // no valid counter value is left

/** Raised for bad DUKPT inputs (lengths, counters). Messages never contain key material. */
export class DukptError extends Error {
  override readonly name = 'DukptError';
  constructor(
    readonly reason: DukptReason,
    message: string,
  ) {
    super(message);
  }
}
