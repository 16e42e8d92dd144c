// BCD and hex primitives for the ISO 8583 codec: table-driven nibble packing with no regex and no temporary buffers.

// Hot loops use these module-local names: compiled CommonJS reads exported consts through `exports.X`.
const hex1: readonly string[] = Array.from({ length: 16 }, (_, i) => i.toString(16).toUpperCase());
const hex2: readonly string[] = Array.from({ length: 256 }, (_, i) => hex1[i >> 4] + hex1[i & 15]);
/** Upper-case hex for one nibble / one byte. */
export const HEX1 = hex1;
export const HEX2 = hex2;

/** Char code -> nibble value, -1 when not allowed. */
export type NibbleTable = Int8Array;

/** Nibble table for the given characters (`'0123456789'`), with extra char -> nibble pairs (`{ D: 13, '=': 13 }`). */
export function nibbleTable(digits: string, extra: Record<string, number> = {}): NibbleTable {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < digits.length; i++) t[digits.charCodeAt(i)] = i;
  for (const [ch, v] of Object.entries(extra)) t[ch.charCodeAt(0)] = v;
  return t;
}

export const DIGIT_NIBBLES = nibbleTable('0123456789');
export const HEX_NIBBLES = nibbleTable('0123456789ABCDEF', { a: 10, b: 11, c: 12, d: 13, e: 14, f: 15 });

/** Index of the first char not in `table`, or -1. */
export function firstBadChar(s: string, table: NibbleTable): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || table[c] < 0) return i;
  }
  return -1;
}

/** Index of the first char that is not 0-9, or -1. */
export function firstBadDigit(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return i;
  }
  return -1;
}

/** Nibble of an already-checked BCD char: digits 0-9; `D` and `=` (track 2 separator) are 13. */
function nib(c: number): number {
  return c < 0x3a ? c - 0x30 : 13;
}

/**
 * Packs `s` (already checked: digits, and `D`/`=` for track 2) as BCD at `off`. An odd length gets
 * `padNibble` on the left (`padLeft`) or right. Returns the next offset.
 */
export function writeBcd(buf: Buffer, off: number, s: string, padLeft: boolean, padNibble: number): number {
  const n = s.length;
  let i = 0;
  if (n & 1 && padLeft) {
    buf[off++] = (padNibble << 4) | nib(s.charCodeAt(0));
    i = 1;
  }
  for (; i + 1 < n; i += 2) buf[off++] = (nib(s.charCodeAt(i)) << 4) | nib(s.charCodeAt(i + 1));
  if (i < n) buf[off++] = (nib(s.charCodeAt(i)) << 4) | padNibble;
  return off;
}

/**
 * Offset of the first byte in `[start, start + ceil(digits / 2))` holding a nibble that `ok` rejects, or -1.
 * The pad nibble of an odd length is not checked.
 */
export function badBcdByte(buf: Buffer, start: number, digits: number, padLeft: boolean, ok: Uint8Array): number {
  const end = start + ((digits + 1) >> 1);
  const odd = (digits & 1) === 1;
  for (let p = start; p < end; p++) {
    const b = buf[p];
    const hiOk = (odd && padLeft && p === start) || ok[b >> 4] === 1;
    const loOk = (odd && !padLeft && p === end - 1) || ok[b & 15] === 1;
    if (!hiOk || !loOk) return p;
  }
  return -1;
}

/** Per byte value: 1 when both nibbles pass `ok` (a 16-entry 0/1 table). */
export function byteOkTable(ok: Uint8Array): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, b) => ok[b >> 4] & ok[b & 15]);
}

/**
 * Reads `digits` nibbles as upper-case characters (0-9, A-F) from BCD at `start`, skipping the pad nibble.
 * With `ok`/`okByte` tables, returns undefined when a nibble is not allowed (find it with {@link badBcdByte}).
 */
export function readBcd(buf: Buffer, start: number, digits: number, padLeft: boolean, ok?: Uint8Array, okByte?: Uint8Array): string | undefined {
  let p = start;
  let s = '';
  let n = digits;
  if (n & 1 && padLeft) {
    const lo = buf[p++] & 15;
    if (ok !== undefined && ok[lo] === 0) return undefined;
    s = hex1[lo];
    n--;
  }
  const pairsEnd = p + (n >> 1);
  for (; p < pairsEnd; p++) {
    const b = buf[p];
    if (okByte !== undefined && okByte[b] === 0) return undefined;
    s += hex2[b];
  }
  if (n & 1) {
    const hi = buf[p] >> 4;
    if (ok !== undefined && ok[hi] === 0) return undefined;
    s += hex1[hi];
  }
  return s;
}

/** Upper-case hex of `buf[start, end)`. */
export function toHex(buf: Uint8Array, start = 0, end = buf.length): string {
  let s = '';
  for (let p = start; p < end; p++) s += hex2[buf[p]];
  return s;
}

/** Byte value as `0x1A`. */
export function byteHex(b: number): string {
  return '0x' + hex2[b & 255];
}
