// The printer emulator reads back what the encoder wrote: text as renderText shows it (GB18030 included), QR, barcodes.
import { encodeReceipt } from '../../firmware/hal/printer/escpos';
import { renderText } from '../../firmware/hal/printer/receipt-doc';
import { encodeCommands } from '../../firmware/hal/printer/escpos-commands';
import { packRaster } from '../../firmware/hal/printer/escpos-symbols';
import { SALE_EN_OPTIONS, SALE_ZH_OPTIONS, saleReceiptEn, saleReceiptZh } from '../../test/fixtures/receipts/sale-receipt';
import { EscposPrinterEmulator } from './escpos-printer';

describe('ESC/POS printer emulator', () => {
  it.each([
    ['en', saleReceiptEn, SALE_EN_OPTIONS],
    ['zh', saleReceiptZh, SALE_ZH_OPTIONS],
  ] as const)('prints the %s sale receipt exactly as renderText lays it out', (_n, doc, opts) => {
    const emu = new EscposPrinterEmulator({ columns: opts.columns });
    expect(emu.receive(encodeReceipt(doc, opts))).toEqual(Buffer.alloc(0));
    expect(emu.printedText()).toBe(renderText(doc, opts.columns));
    expect(emu.unknown).toEqual([]);
    expect(emu.cuts).toBe(1);
  });

  it('decodes GB18030 in Chinese mode and code page bytes outside it', () => {
    const emu = new EscposPrinterEmulator({ columns: 32 });
    emu.receive(Buffer.from('1b40' + '1b7413' + 'd5350a' + '1c26' + 'cffbb7d1' + '0a' + '1c2e' + '820a', 'hex'));
    expect(emu.rows).toEqual(['€5', '消费', 'é']);
  });

  it('takes bytes in any chunking, one at a time included', () => {
    const bytes = encodeReceipt(saleReceiptZh, SALE_ZH_OPTIONS);
    const emu = new EscposPrinterEmulator({ columns: 32 });
    for (const b of bytes) emu.receive(Buffer.from([b]));
    expect(emu.printedText()).toBe(renderText(saleReceiptZh, 32));
    expect(emu.qrPayloads).toEqual(['https://pay.example.com/r/507309123456']);
  });

  it('answers DLE EOT with its state, in the middle of a job', () => {
    const emu = new EscposPrinterEmulator();
    expect(emu.receive(Buffer.from('41' + '100401' + '100402' + '100403' + '100404' + '0a', 'hex'))).toEqual(Buffer.from([0x12, 0x12, 0x12, 0x12]));
    emu.setCover('open');
    expect(emu.receive(Buffer.from('100401100402', 'hex'))).toEqual(Buffer.from([0x1a, 0x16]));
    emu.setCover('closed');
    emu.setPaper('out');
    expect(emu.receive(Buffer.from('100401100402100404', 'hex'))).toEqual(Buffer.from([0x1a, 0x32, 0x72]));
    expect(emu.rows).toEqual(['A']);
  });

  it('runs out of paper after N rows and stops printing', () => {
    const emu = new EscposPrinterEmulator({ columns: 32, paperRows: 3 });
    emu.receive(encodeReceipt(saleReceiptEn, SALE_EN_OPTIONS));
    expect(emu.rows).toEqual(renderText(saleReceiptEn, 32).split('\n').slice(0, 3));
    expect(emu.paperOut).toBe(true);
    expect(emu.cuts).toBe(0);
  });

  it('reads barcodes (CODE128 {B, EAN13 with the check digit) and raster images', () => {
    const emu = new EscposPrinterEmulator({ columns: 32 });
    emu.receive(
      encodeCommands([
        { type: 'barcode', symbology: 'code128', data: 'a{b' },
        { type: 'barcode', symbology: 'ean13', data: '400638133393' },
        { type: 'raster', width: 16, height: 2, data: packRaster(16, 2, () => true) },
      ]),
    );
    expect(emu.barcodes).toEqual([
      { symbology: 'CODE128', data: 'a{b' },
      { symbology: 'EAN13', data: '4006381333931' },
    ]);
    expect(emu.images).toEqual([{ width: 16, height: 2 }]);
    expect(emu.unknown).toEqual([]);
  });

  it('records commands it does not know', () => {
    const emu = new EscposPrinterEmulator();
    emu.receive(Buffer.from('1b7a' + '07', 'hex'));
    expect(emu.unknown).toEqual(['1b7a', '07']);
  });

  describe('slips (receipts())', () => {
    const job = (text: string) => encodeReceipt({ lines: [{ type: 'text', text }, { type: 'text', text: 'B' }, { type: 'cut' }] }, SALE_EN_OPTIONS);

    it('one slip per job from ESC @ to the cut, its bytes without the DLE EOT requests in between', () => {
      const emu = new EscposPrinterEmulator({ columns: 32 });
      const one = job('ONE');
      emu.receive(Buffer.concat([Buffer.from('100401', 'hex'), one.subarray(0, 5), Buffer.from('100402', 'hex'), one.subarray(5)]));
      emu.receive(job('TWO'));
      expect(emu.receipts()).toEqual([
        { seq: 1, text: 'ONE\nB', bytes: one, complete: true },
        { seq: 2, text: 'TWO\nB', bytes: job('TWO'), complete: true },
      ]);
    });

    it('a job still printing is not a slip yet', () => {
      const emu = new EscposPrinterEmulator({ columns: 32 });
      emu.receive(job('ONE').subarray(0, 12));
      expect(emu.receipts()).toEqual([]);
    });

    it('paper running out part-way cuts the slip off; what is sent while out belongs to no slip; the next job is new', () => {
      const emu = new EscposPrinterEmulator({ columns: 32, paperRows: 3 });
      emu.receive(encodeReceipt(saleReceiptEn, SALE_EN_OPTIONS));
      const [cut] = emu.receipts();
      expect(cut).toMatchObject({ seq: 1, complete: false, text: renderText(saleReceiptEn, 32).split('\n').slice(0, 3).join('\n') });
      emu.receive(job('LOST'));
      expect(emu.receipts()).toHaveLength(1);
      emu.setPaper('ok');
      emu.receive(job('AGAIN'));
      expect(emu.receipts().map((r) => [r.seq, r.complete, r.text])).toEqual([
        [1, false, cut.text],
        [2, true, 'AGAIN\nB'],
      ]);
    });

    it('a job the host stops between chunks (cover opened) shows cut off while stopped, and stays so after a new job', () => {
      const emu = new EscposPrinterEmulator({ columns: 32 });
      const first = job('FIRST');
      emu.receive(first.subarray(0, first.indexOf(0x0a) + 1));
      emu.setCover('open');
      expect(emu.receipts()).toEqual([{ seq: 1, text: 'FIRST', bytes: first.subarray(0, first.indexOf(0x0a) + 1), complete: false }]);
      emu.setCover('closed');
      emu.receive(job('NEXT'));
      expect(emu.receipts().map((r) => [r.seq, r.complete, r.text])).toEqual([
        [1, false, 'FIRST'],
        [2, true, 'NEXT\nB'],
      ]);
    });
  });
});

