// QR codes for graphic panels: module matrix from the qrcode package, fitted at 1 or 2 px/module, dark modules unlit.
import type QRCode from 'qrcode';

// The encoder core only: the package's main entry also loads its PNG/SVG renderers (pngjs), ~20-90 ms of every boot.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { create } = require('qrcode/lib/core/qrcode') as { create: typeof QRCode.create };
import type { Framebuffer } from './framebuffer';

/** A QR symbol's modules: `dark(r, c)` for row r, column c. */
export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
}

/** Where a QR goes on the panel: top-left of the quiet zone, pixels per module, quiet-zone width in modules. */
export interface QrPlacement {
  x: number;
  y: number;
  scale: number;
  quiet: number;
  /** Side of the lit square (quiet zone included), in pixels. */
  side: number;
}

/** Error correction M (15 %): what payment QR codes (EMVCo merchant-presented) normally use. */
export function qrMatrix(payload: string): QrMatrix {
  const { modules } = create(payload, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (r, c) => Boolean(modules.get(r, c)) };
}

/**
 * Fits a `size`-module symbol at the right edge of a `width`x`height` panel: 2 px/module when it fits with a 2-module
 * quiet zone, else 1 px/module with a 2-, then 1-module quiet zone. Throws RangeError when even that is too tall.
 */
export function placeQr(size: number, width: number, height: number): QrPlacement {
  for (const [scale, quiet] of [[2, 2], [1, 2], [1, 1]] as const) {
    const side = (size + 2 * quiet) * scale;
    if (side <= height && side <= width) return { x: width - side, y: Math.floor((height - side) / 2), scale, quiet, side };
  }
  throw new RangeError(`qr: a ${size}x${size}-module code does not fit a ${height}-pixel-high panel (at most ${height - 2} modules); shorten the payload`);
}

/** Draws the symbol: the quiet zone and light modules lit, dark modules unlit (dark-on-light, as scanners expect). */
export function drawQr(fb: Framebuffer, m: QrMatrix, p: QrPlacement): void {
  fb.fillRect(p.x, p.y, p.side, p.side, true);
  const origin = p.quiet * p.scale;
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (m.dark(r, c)) fb.fillRect(p.x + origin + c * p.scale, p.y + origin + r * p.scale, p.scale, p.scale, false);
    }
  }
}
