// HD44780 over a PCF8574 backpack, as pure bytes: 4-bit init (Hitachi datasheet fig. 24), commands, nibble strobes, DDRAM map.
import { SYMBOLS, SYMBOL_INDEX } from './symbols';

/** PCF8574 port bits on the common backpack: P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7. */
export const PCF = { RS: 0x01, RW: 0x02, E: 0x04, BACKLIGHT: 0x08 } as const;

/** HD44780 instructions (Hitachi HD44780U datasheet, table 6). */
export const CMD = {
  CLEAR: 0x01,
  HOME: 0x02,
  /** Entry mode set: I/D=1 (increment), S=0 (no shift). */
  ENTRY_INCREMENT: 0x06,
  /** Display control: D=1, C=0, B=0. */
  DISPLAY_ON: 0x0c,
  /** Display control: D=1, C=0, B=1 (the blinking block marks the highlighted row). */
  DISPLAY_ON_BLINK: 0x0d,
  DISPLAY_OFF: 0x08,
  /** Function set: DL=0 (4-bit), N=1 (two lines; 4-row panels are two lines internally), F=0 (5x8 dots). */
  FUNCTION_4BIT_2LINE: 0x28,
  SET_CGRAM: 0x40,
  SET_DDRAM: 0x80,
} as const;

/** Execution times (datasheet table 6, fosc 270 kHz): clear/home 1.52 ms, everything else 37 us. */
export const EXEC_US = { clearOrHome: 1520, other: 37 } as const;

/** One step of a transfer: bytes for the expander, then a wait before the next step. */
export interface Hd44780Step {
  bytes: number[];
  delayUs: number;
}

/** The two expander writes that clock one nibble in: E high with the data, then E low (falling edge latches). */
export function nibble(value: number, rs: boolean, backlight: boolean): number[] {
  const base = ((value & 0x0f) << 4) | (rs ? PCF.RS : 0) | (backlight ? PCF.BACKLIGHT : 0);
  return [base | PCF.E, base];
}

/** A full byte in 4-bit mode: high nibble first. `rs` false = instruction, true = data. */
export function byte4(value: number, rs: boolean, backlight: boolean): number[] {
  return [...nibble(value >> 4, rs, backlight), ...nibble(value, rs, backlight)];
}

export const command = (value: number, backlight: boolean): number[] => byte4(value, false, backlight);
export const data = (values: readonly number[], backlight: boolean): number[] => values.flatMap((v) => byte4(v, true, backlight));

/**
 * Initialising by instruction (datasheet figure 24, 4-bit interface): wait > 40 ms after power-on, 0x3 three times
 * (> 4.1 ms, > 100 us apart) so the chip is in 8-bit mode whatever state it was in, 0x2 for 4-bit, then function
 * set, display off, clear (waits `clearDelayUs`), entry mode; then the CGRAM symbols and display on.
 */
export function initSteps(opts: { clearDelayUs: number; backlight: boolean }): Hd44780Step[] {
  const bl = opts.backlight;
  return [
    { bytes: [bl ? PCF.BACKLIGHT : 0], delayUs: 50_000 },
    { bytes: nibble(0x3, false, bl), delayUs: 4_500 },
    { bytes: nibble(0x3, false, bl), delayUs: 150 },
    { bytes: nibble(0x3, false, bl), delayUs: 150 },
    { bytes: nibble(0x2, false, bl), delayUs: 150 },
    { bytes: [...command(CMD.FUNCTION_4BIT_2LINE, bl), ...command(CMD.DISPLAY_OFF, bl), ...command(CMD.CLEAR, bl)], delayUs: opts.clearDelayUs },
    { bytes: [...command(CMD.ENTRY_INCREMENT, bl), ...cgramLoad(bl), ...command(CMD.SET_DDRAM, bl), ...command(CMD.DISPLAY_ON, bl)], delayUs: 0 },
  ];
}

/** Loads the eight symbols into CGRAM slots 0-7 (64 data bytes from CGRAM address 0). */
export function cgramLoad(backlight: boolean): number[] {
  return [...command(CMD.SET_CGRAM, backlight), ...data(SYMBOLS.flatMap((s) => s.rows), backlight)];
}

/**
 * DDRAM address of the first cell of `row`. Two-line mode puts line 2 at 0x40; 4-row panels split each line in
 * two: 20x4 rows at 0x00, 0x40, 0x14, 0x54; 16x4 rows at 0x00, 0x40, 0x10, 0x50.
 */
export function rowAddress(row: number, cols: 16 | 20): number {
  const offsets = cols === 20 ? [0x00, 0x40, 0x14, 0x54] : [0x00, 0x40, 0x10, 0x50];
  const addr = offsets[row];
  if (addr === undefined) throw new RangeError(`rowAddress: expected row 0-3, got ${row}`);
  return addr;
}

/** Characters ROM A00 shows as written (0x5C is a yen sign and 0x7E an arrow there, so backslash and tilde are not). */
function romCode(cp: number): number | undefined {
  return cp >= 0x20 && cp <= 0x7d && cp !== 0x5c ? cp : undefined;
}

/** East Asian wide characters take two columns in the UI's layout (same ranges as receipt-doc's textWidth). */
export function isWideChar(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6)
  );
}

/**
 * One row of text as HD44780 character codes, exactly `cols` long (padded with spaces, clipped).
 * Symbols map to their CGRAM slot (0-7), printable ASCII to ROM codes, a wide (CJK) character the panel
 * cannot draw to "??" (two columns, so the UI's layout holds), anything else to "?".
 */
export function encodeRow(text: string, cols: number): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0x3f;
    const slot = SYMBOL_INDEX.get(ch);
    if (slot !== undefined && !isWideChar(cp)) out.push(slot);
    else if (isWideChar(cp)) out.push(...(ch === '￥' ? [SYMBOL_INDEX.get('¥')!, 0x20] : [0x3f, 0x3f]));
    else out.push(romCode(cp) ?? 0x3f);
    if (out.length >= cols) break;
  }
  while (out.length < cols) out.push(0x20);
  return out.slice(0, cols);
}
