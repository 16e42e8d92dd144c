// Glyph lookup for graphic panels: 6x8 ASCII (+ project symbols) for normal rows, 8x16/16x16 Unifont for Chinese rows.
import { FONT_6X8_ROWS } from './font-6x8.data';
import { FONT_16X16_ROWS, FONT_8X16_ROWS } from './font-16.data';
import { isWideChar } from './hd44780-commands';
import { SYMBOLS, SYMBOL_INDEX } from './symbols';

/** A bitmap glyph: `rows[y]` has bit (width - 1 - x) set for a lit pixel at x. */
export interface Glyph {
  width: number;
  height: number;
  rows: readonly number[];
}

export const SMALL_CELL = { width: 6, height: 8 } as const;
export const TALL_HEIGHT = 16;

function parseRows(hex: string, width: number): number[] {
  const digits = width / 4;
  const rows: number[] = [];
  for (let i = 0; i < hex.length; i += digits) rows.push(parseInt(hex.slice(i, i + digits), 16));
  return rows;
}

const smallCache = new Map<string, Glyph>();
const tallCache = new Map<string, Glyph>();

/** Project symbols (5x8) in a 6x8 cell: column 0 blank, like the Schumacher glyphs. */
function symbolGlyph(index: number): Glyph {
  return { width: 6, height: 8, rows: SYMBOLS[index].rows };
}

/** The 6x8 glyph for `ch`, or undefined when the small font has none (the caller draws '?'). */
export function smallGlyph(ch: string): Glyph | undefined {
  let g = smallCache.get(ch);
  if (g) return g;
  const hex = FONT_6X8_ROWS[ch];
  const sym = SYMBOL_INDEX.get(ch);
  if (hex) g = { width: 6, height: 8, rows: parseRows(hex, 8).map((r) => r >> 2) };
  else if (sym !== undefined && !isWideChar(ch.codePointAt(0) ?? 0)) g = symbolGlyph(sym);
  if (g) smallCache.set(ch, g);
  return g;
}

/** The 16-pixel glyph for `ch` (8x16 ASCII or 16x16 Chinese), or undefined when the generated subset lacks it. */
export function tallGlyph(ch: string): Glyph | undefined {
  let g = tallCache.get(ch);
  if (g) return g;
  const narrow = FONT_8X16_ROWS[ch];
  const wide = FONT_16X16_ROWS[ch];
  if (narrow) g = { width: 8, height: 16, rows: parseRows(narrow, 8) };
  else if (wide) g = { width: 16, height: 16, rows: parseRows(wide, 16) };
  if (g) tallCache.set(ch, g);
  return g;
}

/** A row needs the 16-pixel fonts when it holds a wide (CJK) character. */
export function needsTallRow(text: string): boolean {
  for (const ch of text) if (isWideChar(ch.codePointAt(0) ?? 0)) return true;
  return false;
}

/** Every glyph of both fonts, for screen readers in tests (bitmap -> character). */
export function allGlyphs(): { small: Map<string, Glyph>; tall: Map<string, Glyph> } {
  const small = new Map<string, Glyph>();
  for (const ch of [...Object.keys(FONT_6X8_ROWS), ...SYMBOL_INDEX.keys()]) {
    const g = smallGlyph(ch);
    if (g && !(SYMBOL_INDEX.has(ch) && SYMBOLS[SYMBOL_INDEX.get(ch)!].chars[0] !== ch)) small.set(ch, g);
  }
  const tall = new Map<string, Glyph>();
  for (const ch of [...Object.keys(FONT_8X16_ROWS), ...Object.keys(FONT_16X16_ROWS)]) tall.set(ch, tallGlyph(ch)!);
  return { small, tall };
}
