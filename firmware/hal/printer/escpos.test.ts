// Exact-byte tests for the receipt encoder: preamble, styles only when they change, Chinese rows, symbols, cut.
import { encodeReceipt, encodeReceiptChunks, receiptCommands, type EncodeOptions } from './escpos';

const EN: EncodeOptions = { columns: 16, codepage: 'cp437', chinese: false };
const ZH: EncodeOptions = { columns: 16, codepage: 'cp437', chinese: true };
const hex = (b: Buffer) => b.toString('hex');
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');

describe('encodeReceipt', () => {
  it('starts with ESC @ and ESC t n; Chinese printers also get FS . (they may power on in Kanji mode)', () => {
    expect(hex(encodeReceipt({ lines: [] }, EN))).toBe('1b40' + '1b7400');
    expect(hex(encodeReceipt({ lines: [] }, { ...EN, codepage: 'cp858' }))).toBe('1b40' + '1b7413');
    expect(hex(encodeReceipt({ lines: [] }, ZH))).toBe('1b40' + '1b7400' + '1c2e');
  });

  it('sends styles only when they change, and resets them for plain lines', () => {
    const bytes = encodeReceipt(
      {
        lines: [
          { type: 'text', text: 'HI', align: 'center', bold: true, size: 'double' },
          { type: 'text', text: 'YO', align: 'center', bold: true, size: 'double' },
          { type: 'pair', left: 'A', right: '1' },
          { type: 'text', text: 'u', underline: true, size: 'tall', align: 'right' },
        ],
      },
      EN,
    );
    expect(hex(bytes)).toBe(
      '1b401b7400' +
        '1b6101' + '1b4501' + '1d2111' + ascii('HI') + '0a' +
        ascii('YO') + '0a' +
        '1b6100' + '1b4500' + '1d2100' + ascii('A' + ' '.repeat(14) + '1') + '0a' +
        '1b6102' + '1b2d01' + '1d2101' + ascii('u') + '0a',
    );
  });

  it('wraps text to the column width (half of it for double size), like renderText', () => {
    const bytes = encodeReceipt({ lines: [{ type: 'text', text: 'ONE TWO THREE', size: 'wide' }] }, EN);
    expect(hex(bytes)).toBe('1b401b7400' + '1d2110' + ascii('ONE TWO') + '0a' + ascii('THREE') + '0a');
  });

  it('prints rules, feeds (ESC d, split at 255) and a partial cut (GS V 66 0)', () => {
    const bytes = encodeReceipt({ lines: [{ type: 'rule', char: '=' }, { type: 'feed', lines: 300 }, { type: 'feed', lines: 0 }, { type: 'cut' }] }, EN);
    expect(hex(bytes)).toBe('1b401b7400' + ascii('='.repeat(16)) + '0a' + '1b64ff' + '1b642d' + '1d564200');
  });

  it('puts rows with Chinese in FS & ... FS . with GB18030 bytes, Latin rows in the code page', () => {
    const bytes = encodeReceipt(
      { lines: [{ type: 'pair', left: '金额', right: '1.00' }, { type: 'text', text: 'Café' }, { type: 'text', text: '消费', underline: true }] },
      ZH,
    );
    expect(hex(bytes)).toBe(
      '1b401b74001c2e' +
        '1c26' + 'bdf0b6ee' + ascii(' '.repeat(8) + '1.00') + '0a' +
        '1c2e' + ascii('Caf') + '82' + '0a' +
        '1c26' + '1b2d01' + '1c2d01' + 'cffbb7d1' + '0a',
    );
  });

  it("replaces Chinese with '?' on printers without the font, keeping the layout", () => {
    const bytes = encodeReceipt({ lines: [{ type: 'pair', left: '金额', right: '1.00' }] }, EN);
    expect(hex(bytes)).toBe('1b401b7400' + ascii('??' + ' '.repeat(10) + '1.00') + '0a');
  });

  it('centres QR codes and barcodes with the printer commands', () => {
    const bytes = encodeReceipt({ lines: [{ type: 'qr', data: 'ab', size: 3 }, { type: 'barcode', symbology: 'code39', data: 'A1' }] }, EN);
    expect(hex(bytes)).toBe(
      '1b401b7400' + '1b6101' +
        '1d286b040031413200' + '1d286b0300314303' + '1d286b0300314531' + '1d286b05003150306162' + '1d286b0300315130' +
        '1d6850' + '1d7702' + '1d4802' + '1d6b4502' + ascii('A1'),
    );
  });

  it('turns control characters in text into ? so they never act as commands', () => {
    expect(hex(encodeReceipt({ lines: [{ type: 'text', text: 'A\x1bd\x05' }] }, EN))).toBe('1b401b7400' + ascii('A?d?') + '0a');
  });

  it('gives one chunk per line after the preamble, concatenating to the whole receipt', () => {
    const doc = { lines: [{ type: 'text' as const, text: 'A' }, { type: 'cut' as const }] };
    const chunks = encodeReceiptChunks(doc, EN);
    expect(chunks.map(hex)).toEqual(['1b401b7400', '410a', '1d564200']);
    expect(Buffer.concat(chunks)).toEqual(encodeReceipt(doc, EN));
    expect(receiptCommands(doc, EN)[2]).toEqual([{ type: 'cut', feed: 0 }]);
  });

  it('throws synchronously on bad options and malformed lines, naming what was expected', () => {
    expect(() => encodeReceipt({ lines: [] }, { ...EN, columns: 4 })).toThrow('columns: expected an integer 8..255, got 4');
    expect(() => encodeReceipt({ lines: [] }, { ...EN, codepage: 'cp850' as never })).toThrow('codepage: expected cp437 or cp858');
    expect(() => encodeReceipt({} as never, EN)).toThrow('receipt: expected { lines: ReceiptLine[] }');
    expect(() => encodeReceipt({ lines: [{ type: 'box' } as never] }, EN)).toThrow('receipt line: expected type text, pair, rule');
    expect(() => encodeReceipt({ lines: [{ type: 'text', text: 5 } as never] }, EN)).toThrow('text.text: expected a string');
    expect(() => encodeReceipt({ lines: [{ type: 'feed', lines: -1 }] }, EN)).toThrow('feed.lines: expected an integer 0..1000');
    expect(() => encodeReceipt({ lines: [{ type: 'barcode', symbology: 'ean13', data: 'x' }] }, EN)).toThrow('EAN-13 expects 12 or 13 digits');
  });
});
