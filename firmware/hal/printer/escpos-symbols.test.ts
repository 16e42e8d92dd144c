// Exact-byte tests for QR (GS ( k), barcode (GS k, GS h/w/H) and raster (GS v 0) commands.
import { barcodeBytes, ean13CheckDigit, packRaster, qrErrorCorrection, qrModel, qrModuleSize, qrPrint, qrStore, rasterBytes, symbolBytes } from './escpos-symbols';

const hex = (b: Buffer) => b.toString('hex');

describe('QR code (GS ( k, cn = 49)', () => {
  it('function 165 selects the model', () => {
    expect(hex(qrModel(2))).toBe('1d286b0400314132' + '00');
    expect(hex(qrModel(1))).toBe('1d286b040031413100');
  });
  it('function 167 sets the module size', () => {
    expect(hex(qrModuleSize(6))).toBe('1d286b0300314306');
    expect(() => qrModuleSize(17)).toThrow('qr.size: expected an integer 1..16, got 17');
  });
  it('function 169 sets error correction L/M/Q/H as 48..51', () => {
    expect(['L', 'M', 'Q', 'H'].map((l) => hex(qrErrorCorrection(l as never)))).toEqual([
      '1d286b0300314530',
      '1d286b0300314531',
      '1d286b0300314532',
      '1d286b0300314533',
    ]);
  });
  it('function 180 stores the data with pL pH = k + 3', () => {
    expect(hex(qrStore('ABC'))).toBe('1d286b0600315030414243');
    const big = qrStore('x'.repeat(300));
    expect(hex(big.subarray(0, 8))).toBe('1d286b2f01315030'); // 303 = 0x012f
    expect(big.length).toBe(8 + 300);
    expect(() => qrStore('')).toThrow('qr.data: expected a non-empty string');
    expect(() => qrStore('x'.repeat(7090))).toThrow('qr.data: expected at most 7089 bytes, got 7090');
  });
  it('function 181 prints', () => {
    expect(hex(qrPrint())).toBe('1d286b0300315130');
  });
  it('a qr command is model 2, size, error correction, store, print', () => {
    expect(hex(symbolBytes({ type: 'qr', data: 'hi', size: 4, errorCorrection: 'Q' }))).toBe(
      '1d286b040031413200' + '1d286b0300314304' + '1d286b0300314532' + '1d286b05003150306869' + '1d286b0300315130',
    );
  });
});

describe('barcodes (GS k function B)', () => {
  it('CODE128 selects code set B and doubles "{"', () => {
    expect(hex(barcodeBytes({ type: 'barcode', symbology: 'code128', data: 'A{1' }))).toBe('1d6850' + '1d7702' + '1d4802' + '1d6b4906' + '7b42' + '417b7b31');
  });
  it('EAN13 sends 12 digits after checking a given check digit', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1);
    const body = '1d6b430c' + Buffer.from('400638133393').toString('hex');
    expect(hex(barcodeBytes({ type: 'barcode', symbology: 'ean13', data: '4006381333931' })).slice(18)).toBe(body);
    expect(hex(barcodeBytes({ type: 'barcode', symbology: 'ean13', data: '400638133393' })).slice(18)).toBe(body);
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'ean13', data: '4006381333932' })).toThrow('EAN-13 check digit should be 1, got 2');
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'ean13', data: '12345' })).toThrow('EAN-13 expects 12 or 13 digits');
  });
  it('CODE39 with height, module width and HRI position', () => {
    expect(hex(barcodeBytes({ type: 'barcode', symbology: 'code39', data: 'AB-1', height: 100, moduleWidth: 3, hri: 'none' }))).toBe(
      '1d6864' + '1d7703' + '1d4800' + '1d6b4504' + '41422d31',
    );
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'code39', data: 'ab' })).toThrow('CODE39 expects');
  });
  it('rejects bad data and settings', () => {
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'code128', data: 'é' })).toThrow('CODE128 code set B expects printable ASCII');
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'code128', data: 'x'.repeat(254) })).toThrow('at most 255 bytes');
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'code128', data: 'x', moduleWidth: 7 })).toThrow('barcode.moduleWidth');
    expect(() => barcodeBytes({ type: 'barcode', symbology: 'pdf417' as never, data: 'x' })).toThrow('barcode.symbology');
  });
});

describe('raster image (GS v 0)', () => {
  it('packs pixels MSB-first and writes xL xH yL yH', () => {
    const data = packRaster(10, 2, (x, y) => (y === 0 ? x === 0 || x === 9 : x < 8));
    expect(hex(data)).toBe('8040' + 'ff00');
    expect(hex(rasterBytes({ type: 'raster', width: 10, height: 2, data }))).toBe('1d763000' + '0200' + '0200' + '8040ff00');
  });
  it('checks the data length', () => {
    expect(() => rasterBytes({ type: 'raster', width: 8, height: 2, data: Buffer.alloc(3) })).toThrow('raster.data: expected 2 bytes');
  });
});
