// ESC/POS symbol commands as data and their exact bytes: native QR (GS ( k), barcodes (GS k) and raster images (GS v 0).

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';
export type BarcodeSymbology = 'code128' | 'ean13' | 'code39';
export type HriPosition = 'none' | 'above' | 'below' | 'both';

export type SymbolCommand =
  /** QR Code model 2 printed by the printer itself: select model, module size, error correction, store, print. */
  | { type: 'qr'; data: string; size?: number; errorCorrection?: QrErrorCorrection }
  /** Barcode with its height (dots), module width (2-6) and human-readable text position. */
  | { type: 'barcode'; symbology: BarcodeSymbology; data: string; height?: number; moduleWidth?: number; hri?: HriPosition }
  /** Monochrome raster image: `data` holds ceil(width/8) bytes per row, most significant bit leftmost, 1 = black. */
  | { type: 'raster'; width: number; height: number; data: Buffer };

const GS = 0x1d;

function intArg(n: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what}: expected an integer ${min}..${max}, got ${n}`);
  return n;
}

/** GS ( k with the length prefix pL pH covering cn, fn and the parameters. */
function qrFunction(fn: number, params: Buffer | number[]): Buffer {
  const body = Buffer.from(params);
  const len = body.length + 2;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, fn]), body]);
}

/** Function 165: QR model (49 model 1, 50 model 2). */
export function qrModel(model: 1 | 2 = 2): Buffer {
  return qrFunction(0x41, [intArg(model, 'qr.model', 1, 2) + 48, 0]);
}

/** Function 167: module size in dots, 1-16. */
export function qrModuleSize(size: number): Buffer {
  return qrFunction(0x43, [intArg(size, 'qr.size', 1, 16)]);
}

const ECC_N: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

/** Function 169: error correction level L/M/Q/H (7/15/25/30 %). */
export function qrErrorCorrection(level: QrErrorCorrection): Buffer {
  const n = ECC_N[level];
  if (n === undefined) throw new TypeError(`qr.errorCorrection: expected L, M, Q or H, got ${String(level)}`);
  return qrFunction(0x45, [n]);
}

/** Largest payload function 180 accepts (pL pH = k + 3 <= 7092, Epson). */
export const QR_MAX_BYTES = 7089;

/** Function 180: stores the symbol data (UTF-8 bytes) in the printer's symbol storage area. */
export function qrStore(data: string): Buffer {
  if (typeof data !== 'string' || data.length === 0) throw new TypeError('qr.data: expected a non-empty string');
  const bytes = Buffer.from(data, 'utf8');
  if (bytes.length > QR_MAX_BYTES) throw new RangeError(`qr.data: expected at most ${QR_MAX_BYTES} bytes, got ${bytes.length}`);
  return qrFunction(0x50, Buffer.concat([Buffer.from([0x30]), bytes]));
}

/** Function 181: prints the stored symbol. */
export function qrPrint(): Buffer {
  return qrFunction(0x51, [0x30]);
}

/** EAN-13 check digit (GS1 mod 10, weights 1/3 from the left) of the first 12 digits. */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** GS k m n d1..dn (function B) with the data validated for the symbology. */
function barcodeData(symbology: BarcodeSymbology, data: string): { m: number; bytes: Buffer } {
  if (typeof data !== 'string' || data.length === 0) throw new TypeError('barcode.data: expected a non-empty string');
  switch (symbology) {
    case 'ean13': {
      if (!/^\d{12,13}$/.test(data)) throw new RangeError(`barcode.data: EAN-13 expects 12 or 13 digits, got "${data}"`);
      const check = ean13CheckDigit(data);
      if (data.length === 13 && Number(data[12]) !== check) throw new RangeError(`barcode.data: EAN-13 check digit should be ${check}, got ${data[12]}`);
      return { m: 67, bytes: Buffer.from(data.slice(0, 12), 'ascii') };
    }
    case 'code39':
      if (!/^[0-9A-Z $%+\-./]+$/.test(data)) throw new RangeError('barcode.data: CODE39 expects 0-9, A-Z, space and $%+-./');
      return { m: 69, bytes: Buffer.from(data, 'ascii') };
    case 'code128': {
      if (!/^[\x20-\x7e]+$/.test(data)) throw new RangeError('barcode.data: CODE128 code set B expects printable ASCII (0x20-0x7E)');
      // "{B" selects code set B; a literal "{" is sent as "{{".
      return { m: 73, bytes: Buffer.from('{B' + data.replace(/\{/g, '{{'), 'ascii') };
    }
    default:
      throw new TypeError(`barcode.symbology: expected code128, ean13 or code39, got ${String(symbology)}`);
  }
}

const HRI_N: Record<HriPosition, number> = { none: 0, above: 1, below: 2, both: 3 };

/** GS h, GS w, GS H then GS k: height, module width, HRI position and the barcode. */
export function barcodeBytes(cmd: Extract<SymbolCommand, { type: 'barcode' }>): Buffer {
  const { m, bytes } = barcodeData(cmd.symbology, cmd.data);
  if (bytes.length > 255) throw new RangeError(`barcode.data: expected at most 255 bytes once encoded, got ${bytes.length}`);
  const hri = HRI_N[cmd.hri ?? 'below'];
  if (hri === undefined) throw new TypeError(`barcode.hri: expected none, above, below or both, got ${String(cmd.hri)}`);
  return Buffer.concat([
    Buffer.from([GS, 0x68, intArg(cmd.height ?? 80, 'barcode.height', 1, 255)]),
    Buffer.from([GS, 0x77, intArg(cmd.moduleWidth ?? 2, 'barcode.moduleWidth', 2, 6)]),
    Buffer.from([GS, 0x48, hri]),
    Buffer.from([GS, 0x6b, m, bytes.length]),
    bytes,
  ]);
}

/** GS v 0 m xL xH yL yH d1..dk, normal scale (m = 0). */
export function rasterBytes(cmd: Extract<SymbolCommand, { type: 'raster' }>): Buffer {
  const width = intArg(cmd.width, 'raster.width', 1, 65535 * 8);
  const height = intArg(cmd.height, 'raster.height', 1, 65535);
  const rowBytes = Math.ceil(width / 8);
  if (!Buffer.isBuffer(cmd.data) || cmd.data.length !== rowBytes * height) {
    throw new RangeError(`raster.data: expected ${rowBytes * height} bytes (${rowBytes} per row x ${height} rows)`);
  }
  return Buffer.concat([Buffer.from([GS, 0x76, 0x30, 0, rowBytes & 0xff, rowBytes >> 8, height & 0xff, height >> 8]), cmd.data]);
}

/** Packs a monochrome bitmap (`black(x, y)` true for a printed dot) into raster rows for GS v 0. */
export function packRaster(width: number, height: number, black: (x: number, y: number) => boolean): Buffer {
  intArg(width, 'width', 1, 65535 * 8);
  intArg(height, 'height', 1, 65535);
  const rowBytes = Math.ceil(width / 8);
  const out = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (black(x, y)) out[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
  }
  return out;
}

/** Exact bytes of one symbol command. */
export function symbolBytes(cmd: SymbolCommand): Buffer {
  switch (cmd.type) {
    case 'qr':
      return Buffer.concat([qrModel(2), qrModuleSize(cmd.size ?? 6), qrErrorCorrection(cmd.errorCorrection ?? 'M'), qrStore(cmd.data), qrPrint()]);
    case 'barcode':
      return barcodeBytes(cmd);
    case 'raster':
      return rasterBytes(cmd);
    default:
      throw new TypeError(`escpos: unknown command type ${String((cmd as { type?: unknown }).type)}`);
  }
}
