// ESC/POS commands as data and their exact bytes: init, text styles, alignment, code pages, Chinese mode, feed, cut.
//
// Byte values follow the Epson ESC/POS Application Programming Guide (command reference). Symbols (QR, barcodes,
// raster images) live in escpos-symbols.ts; the receipt encoder that strings commands together is escpos.ts.
import { symbolBytes, type SymbolCommand } from './escpos-symbols';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

/** Code pages this encoder writes, with their `ESC t n` table numbers (Epson: page 0 PC437, page 19 PC858 Euro). */
export const CODEPAGE_TABLE = { cp437: 0, cp858: 19 } as const;
export type Codepage = keyof typeof CODEPAGE_TABLE;

export type Justification = 'left' | 'center' | 'right';

export type EscposCommand =
  /** ESC @: clears the print buffer and resets every mode to its power-on default. */
  | { type: 'init' }
  /** ESC t n: selects the character code table for bytes 0x80-0xFF. */
  | { type: 'codepage'; codepage: Codepage }
  /** FS & (on) / FS . (off): Kanji mode; on Chinese models the multi-byte encoding is GB18030. */
  | { type: 'chinese'; on: boolean }
  /** ESC E n: emphasised (bold). */
  | { type: 'bold'; on: boolean }
  /** ESC - n: underline (1-dot) for alphanumeric characters. */
  | { type: 'underline'; on: boolean }
  /** FS - n: underline for Kanji (Chinese) characters. */
  | { type: 'kanjiUnderline'; on: boolean }
  /** GS ! n: character width and height multipliers, 1 to 8 each. */
  | { type: 'size'; width: number; height: number }
  /** ESC a n: justification; effective at the start of a line. */
  | { type: 'align'; align: Justification }
  /** Already-encoded character bytes (no control codes). */
  | { type: 'raw'; bytes: Buffer }
  /** LF: prints the buffer and feeds one line. */
  | { type: 'newline' }
  /** ESC d n: prints the buffer and feeds n lines (0-255). */
  | { type: 'feed'; lines: number }
  /** GS V 66 n: feeds to the cutting position plus n motion units, then partial cut (`full`: GS V 65 n). */
  | { type: 'cut'; full?: boolean; feed?: number }
  | SymbolCommand;

function byteArg(n: number, what: string, min = 0, max = 255): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what}: expected an integer ${min}..${max}, got ${n}`);
  return n;
}

const ALIGN_N: Record<Justification, number> = { left: 0, center: 1, right: 2 };

/** Exact bytes of one command. Throws RangeError/TypeError on arguments outside the command's range. */
export function commandBytes(cmd: EscposCommand): Buffer {
  switch (cmd.type) {
    case 'init':
      return Buffer.from([ESC, 0x40]);
    case 'codepage': {
      const n = CODEPAGE_TABLE[cmd.codepage];
      if (n === undefined) throw new TypeError(`codepage: expected one of ${Object.keys(CODEPAGE_TABLE).join(', ')}, got ${String(cmd.codepage)}`);
      return Buffer.from([ESC, 0x74, n]);
    }
    case 'chinese':
      return Buffer.from(cmd.on ? [FS, 0x26] : [FS, 0x2e]);
    case 'bold':
      return Buffer.from([ESC, 0x45, cmd.on ? 1 : 0]);
    case 'underline':
      return Buffer.from([ESC, 0x2d, cmd.on ? 1 : 0]);
    case 'kanjiUnderline':
      return Buffer.from([FS, 0x2d, cmd.on ? 1 : 0]);
    case 'size': {
      const w = byteArg(cmd.width, 'size.width', 1, 8);
      const h = byteArg(cmd.height, 'size.height', 1, 8);
      return Buffer.from([GS, 0x21, ((w - 1) << 4) | (h - 1)]);
    }
    case 'align': {
      const n = ALIGN_N[cmd.align];
      if (n === undefined) throw new TypeError(`align: expected left, center or right, got ${String(cmd.align)}`);
      return Buffer.from([ESC, 0x61, n]);
    }
    case 'raw':
      if (!Buffer.isBuffer(cmd.bytes)) throw new TypeError('raw.bytes: expected a Buffer');
      return cmd.bytes;
    case 'newline':
      return Buffer.from([LF]);
    case 'feed':
      return Buffer.from([ESC, 0x64, byteArg(cmd.lines, 'feed.lines')]);
    case 'cut':
      return Buffer.from([GS, 0x56, cmd.full ? 65 : 66, byteArg(cmd.feed ?? 0, 'cut.feed')]);
    default:
      return symbolBytes(cmd);
  }
}

/** Bytes of a command list, in order. */
export function encodeCommands(cmds: readonly EscposCommand[]): Buffer {
  return Buffer.concat(cmds.map(commandBytes));
}
