// Receipt text to printer bytes: code page (CP437/CP858) or GB18030 Chinese mode per row, '?' for what cannot print.
import iconv from 'iconv-lite';
import type { Codepage } from './escpos-commands';

const cache: Record<Codepage, Map<string, boolean>> = { cp437: new Map(), cp858: new Map() };

/** C0 controls and DEL would be read by the printer as commands, so they never go out as text. */
function isControl(cp: number): boolean {
  return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/** True when `ch` (one code point) has a glyph in the code page and is not a control code. */
export function inCodepage(ch: string, codepage: Codepage): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (isControl(cp)) return false;
  if (cp < 0x7f) return true;
  const seen = cache[codepage].get(ch);
  if (seen !== undefined) return seen;
  const ok = iconv.decode(iconv.encode(ch, codepage), codepage) === ch;
  cache[codepage].set(ch, ok);
  return ok;
}

/** True when every character of `text` prints from the code page alone. */
export function fitsCodepage(text: string, codepage: Codepage): boolean {
  for (const ch of text) if (!inCodepage(ch, codepage)) return false;
  return true;
}

/**
 * Replaces what the printer cannot print with '?', before layout so widths stay right. With Chinese support, only
 * control codes are replaced (the row will go out in GB18030); without it, everything outside the code page is.
 */
export function printableText(text: string, codepage: Codepage, chinese: boolean): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isControl(cp)) out += '?';
    else out += chinese || inCodepage(ch, codepage) ? ch : '?';
  }
  return out;
}

export interface EncodedRow {
  /** True when the row must be printed in Chinese (FS &) mode. */
  chinese: boolean;
  bytes: Buffer;
}

/**
 * Encodes one printed row (already passed through printableText). A row with any character outside the code page
 * goes out whole in GB18030 when the printer supports Chinese; otherwise in the code page.
 */
export function encodeRow(text: string, codepage: Codepage, chinese: boolean): EncodedRow {
  if (chinese && !fitsCodepage(text, codepage)) return { chinese: true, bytes: iconv.encode(text, 'gb18030') };
  return { chinese: false, bytes: iconv.encode(printableText(text, codepage, false), codepage) };
}
