// ESC/POS receipt encoder: a ReceiptDoc becomes printer commands as data, then exact bytes. Pure, no I/O.
//
// Modelled on ReceiptPrinterEncoder (commands as data, tested byte for byte), but we do not use
// @point-of-sale/receipt-printer-encoder: it has no Chinese / GB18030 (FS & Kanji mode) support, and Chinese
// receipts (消费, 撤销, 退货 ...) are part of the product. Layout (wrapping, pair lines, rules) comes from
// receipt-doc.ts, so the bytes print exactly the rows renderText() shows.
import { clip, layoutLine, wrap, type ReceiptDoc, type ReceiptLine } from './receipt-doc';
import { CODEPAGE_TABLE, encodeCommands, type Codepage, type EscposCommand, type Justification } from './escpos-commands';
import { encodeRow, printableText } from './escpos-text';

export interface EncodeOptions {
  /** Characters per line in the normal font. */
  columns: number;
  codepage: Codepage;
  /** The printer has the GB18030 font: rows with non-code-page text print in Chinese mode; otherwise they get '?'. */
  chinese: boolean;
}

/** Printer modes the encoder tracks so it only sends commands that change something. */
interface Modes {
  align: Justification;
  bold: boolean;
  underline: boolean;
  kanjiUnderline: boolean;
  width: number;
  height: number;
  chinese: boolean;
}

const SIZES = { normal: [1, 1], double: [2, 2], wide: [2, 1], tall: [1, 2] } as const;

/** Modes right after ESC @ (and FS . when the printer has Chinese, since Chinese models may power on in Kanji mode). */
function initialModes(): Modes {
  return { align: 'left', bold: false, underline: false, kanjiUnderline: false, width: 1, height: 1, chinese: false };
}

/** Appends the commands that move `modes` to `want`, and updates `modes`. */
function setModes(modes: Modes, want: Partial<Modes>, out: EscposCommand[]): void {
  if (want.chinese !== undefined && want.chinese !== modes.chinese) out.push({ type: 'chinese', on: want.chinese });
  if (want.align !== undefined && want.align !== modes.align) out.push({ type: 'align', align: want.align });
  if (want.bold !== undefined && want.bold !== modes.bold) out.push({ type: 'bold', on: want.bold });
  if (want.underline !== undefined && want.underline !== modes.underline) out.push({ type: 'underline', on: want.underline });
  if (want.kanjiUnderline !== undefined && want.kanjiUnderline !== modes.kanjiUnderline) {
    out.push({ type: 'kanjiUnderline', on: want.kanjiUnderline });
  }
  const w = want.width ?? modes.width;
  const h = want.height ?? modes.height;
  if (w !== modes.width || h !== modes.height) out.push({ type: 'size', width: w, height: h });
  Object.assign(modes, want);
}

const PLAIN: Partial<Modes> = { bold: false, underline: false, kanjiUnderline: false, width: 1, height: 1 };

/** One printed row: Chinese mode if needed, the bytes, LF. */
function row(text: string, modes: Modes, opts: EncodeOptions, out: EscposCommand[], style: Partial<Modes> = {}): void {
  const enc = encodeRow(text, opts.codepage, opts.chinese);
  const underline = style.underline ?? modes.underline;
  setModes(modes, { ...style, chinese: enc.chinese, kanjiUnderline: enc.chinese && underline }, out);
  if (enc.bytes.length > 0) out.push({ type: 'raw', bytes: enc.bytes });
  out.push({ type: 'newline' });
}

function checkColumns(columns: number): void {
  if (!Number.isInteger(columns) || columns < 8 || columns > 255) throw new RangeError(`columns: expected an integer 8..255, got ${columns}`);
}

/** Commands for one receipt line. Throws TypeError/RangeError for a malformed line. */
function lineCommands(line: ReceiptLine, modes: Modes, opts: EncodeOptions): EscposCommand[] {
  const out: EscposCommand[] = [];
  const text = (s: unknown, what: string): string => {
    if (typeof s !== 'string') throw new TypeError(`${what}: expected a string`);
    return printableText(s, opts.codepage, opts.chinese);
  };
  switch (line?.type) {
    case 'text': {
      const size = SIZES[line.size ?? 'normal'];
      if (!size) throw new TypeError(`text.size: expected normal, double, wide or tall, got ${String(line.size)}`);
      const width = size[0] === 2 ? Math.floor(opts.columns / 2) : opts.columns;
      const style = { align: line.align ?? 'left', bold: !!line.bold, underline: !!line.underline, width: size[0], height: size[1] };
      for (const r of wrap(text(line.text, 'text.text'), width)) row(r, modes, opts, out, style);
      return out;
    }
    case 'pair': {
      const [r] = layoutLine({ type: 'pair', left: text(line.left, 'pair.left'), right: text(line.right, 'pair.right') }, opts.columns);
      row(r, modes, opts, out, { ...PLAIN, align: 'left', bold: !!line.bold });
      return out;
    }
    case 'rule': {
      const char = clip(text(line.char ?? '-', 'rule.char'), 1) || '-';
      row(layoutLine({ type: 'rule', char }, opts.columns)[0], modes, opts, out, { ...PLAIN, align: 'left' });
      return out;
    }
    case 'feed': {
      if (!Number.isInteger(line.lines) || line.lines < 0 || line.lines > 1000) throw new RangeError(`feed.lines: expected an integer 0..1000, got ${line.lines}`);
      for (let left = line.lines; left > 0; left -= 255) out.push({ type: 'feed', lines: Math.min(255, left) });
      return out;
    }
    case 'qr':
      setModes(modes, { ...PLAIN, chinese: false, align: 'center' }, out);
      out.push({ type: 'qr', data: line.data, size: line.size ?? 6, errorCorrection: 'M' });
      return out;
    case 'barcode':
      setModes(modes, { ...PLAIN, chinese: false, align: 'center' }, out);
      out.push({ type: 'barcode', symbology: line.symbology, data: line.data, height: 80, moduleWidth: 2, hri: 'below' });
      return out;
    case 'cut':
      out.push({ type: 'cut', feed: 0 });
      return out;
    default:
      throw new TypeError(`receipt line: expected type text, pair, rule, feed, qr, barcode or cut, got ${String((line as { type?: unknown })?.type)}`);
  }
}

/**
 * The receipt as command groups: group 0 is the preamble (ESC @, ESC t n, FS . on Chinese printers), then one group
 * per receipt line. Throws TypeError/RangeError (synchronously) for bad options or a malformed line.
 */
export function receiptCommands(doc: ReceiptDoc, opts: EncodeOptions): EscposCommand[][] {
  checkColumns(opts.columns);
  if (!(opts.codepage in CODEPAGE_TABLE)) throw new TypeError(`codepage: expected cp437 or cp858, got ${String(opts.codepage)}`);
  if (!doc || !Array.isArray(doc.lines)) throw new TypeError('receipt: expected { lines: ReceiptLine[] }');
  const preamble: EscposCommand[] = [{ type: 'init' }, { type: 'codepage', codepage: opts.codepage }];
  if (opts.chinese) preamble.push({ type: 'chinese', on: false });
  const modes = initialModes();
  return [preamble, ...doc.lines.map((line) => lineCommands(line, modes, opts))];
}

/** The receipt as byte chunks, one per command group (see receiptCommands); concatenated they equal encodeReceipt. */
export function encodeReceiptChunks(doc: ReceiptDoc, opts: EncodeOptions): Buffer[] {
  return receiptCommands(doc, opts).map(encodeCommands);
}

/** The whole receipt as ESC/POS bytes. Throws TypeError/RangeError for bad options or a malformed line. */
export function encodeReceipt(doc: ReceiptDoc, opts: EncodeOptions): Buffer {
  return Buffer.concat(encodeReceiptChunks(doc, opts));
}

export { encodeCommands, commandBytes, type EscposCommand, type Codepage, type Justification } from './escpos-commands';
