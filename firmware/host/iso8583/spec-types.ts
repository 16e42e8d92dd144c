// ISO 8583 spec and message types: the data a packager is built from (like a jPOS packager or a moov-io spec).

/**
 * Content type of a data element.
 * - `n`: digits 0-9.
 * - `an`: letters, digits and space (space so fixed fields can be space-padded).
 * - `ans`: printable ASCII 0x20-0x7E.
 * - `b`: binary; the value is a Buffer and lengths count bytes.
 * - `z`: track 2 data: digits and the separator `D` (`=` accepted on pack and read as `D` in BCD).
 */
export type FieldType = 'n' | 'an' | 'ans' | 'b' | 'z';

/**
 * How the value is laid out on the wire.
 * - `bcd`: two digits per byte (n, z). Odd lengths get one pad nibble (see {@link FieldPad}).
 * - `ascii`: one character per byte (n, an, ans, z); for `b` fields, two hex characters per byte.
 * - `binary`: raw bytes (b only).
 */
export type FieldEncoding = 'bcd' | 'ascii' | 'binary';

/** Fixed length, or a variable length with a 2-digit (LL) or 3-digit (LLL) length prefix. */
export type LengthType = 'fixed' | 'llvar' | 'lllvar';

/** Length prefix encoding: BCD (LL = 1 byte, LLL = 2 bytes) or ASCII digits (LL = 2 bytes, LLL = 3 bytes). */
export type PrefixEncoding = 'bcd' | 'ascii';

/**
 * Padding. For BCD values of odd length it says which side gets the pad nibble (`char` must be a hex digit).
 * For fixed-length fields, a shorter value is padded up to the length on pack (`n` usually left with `0`,
 * `an`/`ans` right with space); without `pad` a fixed field needs a value of exactly its length.
 * Unpack returns the value as it is on the wire (padding kept), except the BCD pad nibble.
 */
export interface FieldPad {
  side: 'left' | 'right';
  char: string;
}

/**
 * Card-data class of a field, used to mask it in {@link Iso8583Codec.describe}:
 * `pan` is masked first 6 / last 4; `track` (track data, expiry) and `pin` (PIN blocks) are replaced by
 * `[REDACTED n bytes]`.
 */
export type Sensitivity = 'pan' | 'track' | 'pin';

/** One data element. */
export interface FieldSpec {
  /** Human name, shown by `describe` and the CLI. */
  name: string;
  type: FieldType;
  encoding: FieldEncoding;
  lengthType: LengthType;
  /** Exact length for fixed fields, maximum for LLVAR/LLLVAR; digits (n, z), characters (an, ans) or bytes (b). */
  length: number;
  /** Length prefix encoding for LLVAR/LLLVAR; defaults to `ascii` for ASCII fields and `bcd` otherwise. */
  prefix?: PrefixEncoding;
  pad?: FieldPad;
  sensitive?: Sensitivity;
}

/** A complete message layout: MTI and bitmap encodings plus the data elements (2-128) it knows. */
export interface IsoSpec {
  name: string;
  /** `bcd`: 2 bytes; `ascii`: 4 digits. */
  mtiEncoding: 'bcd' | 'ascii';
  /** `binary`: 8 bytes per bitmap; `hex`: 16 hex characters per bitmap. */
  bitmapEncoding: 'binary' | 'hex';
  fields: Record<number, FieldSpec>;
}

/** A message: n/an/ans/z values are strings; b values are Buffers. Fields with an `undefined` value are absent. */
export interface IsoMessage {
  mti: string;
  fields: Record<number, string | Buffer>;
}
