// The posfw default ISO 8583 spec: BCD MTI, binary bitmaps, BCD numerics and prefixes (documented in docs/iso8583-spec.md).
import type { FieldSpec, IsoSpec } from './spec-types';

const LEFT_ZERO = { side: 'left', char: '0' } as const;
const RIGHT_SPACE = { side: 'right', char: ' ' } as const;

/** n, fixed, BCD; odd lengths padded left with 0, short values padded left with 0. */
function n(name: string, length: number, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, type: 'n', encoding: 'bcd', lengthType: 'fixed', length, pad: LEFT_ZERO, ...extra };
}
/** n, LLVAR, BCD with a BCD prefix. */
function nVar(name: string, length: number, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, type: 'n', encoding: 'bcd', lengthType: 'llvar', length, prefix: 'bcd', pad: LEFT_ZERO, ...extra };
}
/** an / ans, fixed, ASCII; short values padded right with spaces. */
function text(type: 'an' | 'ans', name: string, length: number): FieldSpec {
  return { name, type, encoding: 'ascii', lengthType: 'fixed', length, pad: RIGHT_SPACE };
}
/** ans, LLVAR or LLLVAR, ASCII with a BCD prefix. */
function ansVar(name: string, lengthType: 'llvar' | 'lllvar', length: number): FieldSpec {
  return { name, type: 'ans', encoding: 'ascii', lengthType, length, prefix: 'bcd' };
}
/** b, binary; fixed or LLVAR/LLLVAR with a BCD prefix; lengths in bytes. */
function bin(name: string, lengthType: 'fixed' | 'llvar' | 'lllvar', length: number, extra: Partial<FieldSpec> = {}): FieldSpec {
  return { name, type: 'b', encoding: 'binary', lengthType, length, ...(lengthType === 'fixed' ? {} : { prefix: 'bcd' as const }), ...extra };
}

/** The spec the terminal and the acquirer simulator speak unless a board names another one. */
export const defaultSpec: IsoSpec = {
  name: 'posfw-default',
  mtiEncoding: 'bcd',
  bitmapEncoding: 'binary',
  fields: {
    2: nVar('Primary account number', 19, { sensitive: 'pan' }),
    3: n('Processing code', 6),
    4: n('Amount, transaction', 12),
    7: n('Transmission date and time', 10),
    11: n('System trace audit number', 6),
    12: n('Time, local transaction', 6),
    13: n('Date, local transaction', 4),
    14: n('Date, expiration', 4, { sensitive: 'track' }),
    15: n('Date, settlement', 4),
    18: n('Merchant type', 4),
    22: n('POS entry mode', 3),
    23: n('Card sequence number', 3),
    24: n('Network international identifier', 3),
    25: n('POS condition code', 2),
    26: n('POS PIN capture code', 2),
    32: nVar('Acquiring institution id', 11),
    35: { name: 'Track 2 data', type: 'z', encoding: 'bcd', lengthType: 'llvar', length: 37, prefix: 'bcd', pad: { side: 'right', char: 'F' }, sensitive: 'track' },
    37: text('an', 'Retrieval reference number', 12),
    38: text('an', 'Authorization code', 6),
    39: text('an', 'Response code', 2),
    41: text('ans', 'Terminal id', 8),
    42: text('ans', 'Merchant id', 15),
    43: text('ans', 'Card acceptor name and location', 40),
    44: ansVar('Additional response data', 'llvar', 25),
    48: ansVar('Additional data, private', 'lllvar', 999),
    49: n('Currency code, transaction', 3),
    52: bin('PIN block', 'llvar', 16, { sensitive: 'pin' }),
    53: bin('Security control information (KSN)', 'llvar', 48),
    54: ansVar('Additional amounts (balance)', 'lllvar', 120),
    55: bin('ICC data', 'lllvar', 255),
    60: ansVar('Batch data, private', 'lllvar', 999),
    61: ansVar('Original transaction data', 'lllvar', 999),
    62: ansVar('Merchant reference (ECR reference)', 'lllvar', 999),
    63: ansVar('Settlement totals', 'lllvar', 999),
    64: bin('Message authentication code', 'fixed', 8),
    70: n('Network management code', 3),
    90: n('Original data elements', 42),
    128: bin('Message authentication code (secondary)', 'fixed', 8),
  },
};
