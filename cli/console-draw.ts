// Draws the configured panel in a terminal as the hardware would show it: HD44780 characters, or a 128x64 bitmap in braille or blocks.
import type { DisplayCaps, Screen } from '../firmware/hal/display/display';
import { layoutScreen, prepareQr } from '../firmware/hal/display/graphic-layout';
import { encodeRow } from '../firmware/hal/display/hd44780-commands';
import { SYMBOLS } from '../firmware/hal/display/symbols';
import type { Framebuffer } from '../firmware/hal/display/framebuffer';

/** How a graphic panel's pixels are drawn: braille (2x4 pixels per character) or quadrant blocks (2x2). */
export type GraphicStyle = 'braille' | 'blocks';

const REVERSE = '\x1b[7m';
const RESET = '\x1b[0m';

/** One HD44780 character code as the panel shows it: ROM ASCII, or the CGRAM symbol in that slot. */
function lcdChar(code: number): string {
  return code < SYMBOLS.length ? SYMBOLS[code].chars[0] : String.fromCharCode(code);
}

/**
 * A character LCD: each row as the HD44780 encodes it (a Chinese character is `??`, unknown characters `?`), framed;
 * the highlighted row's first cell in reverse video, where the chip blinks its block cursor.
 */
export function drawTextPanel(screen: Screen, cols: number, rows: number): string[] {
  const edge = '+' + '-'.repeat(cols) + '+';
  const body = Array.from({ length: rows }, (_, r) => {
    const chars = encodeRow(screen.lines[r] ?? '', cols).map(lcdChar);
    if (screen.highlight === r) chars[0] = REVERSE + chars[0] + RESET;
    return '|' + chars.join('') + '|';
  });
  return [edge, ...body, edge];
}

const BRAILLE_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];
const QUADRANTS = [' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█'];

/** Pixels as braille characters: U+2800 plus a bit per lit dot (2 wide, 4 high). */
export function brailleRows(fb: Pick<Framebuffer, 'width' | 'height' | 'get'>): string[] {
  const out: string[] = [];
  for (let y = 0; y < fb.height; y += 4) {
    let row = '';
    for (let x = 0; x < fb.width; x += 2) {
      let bits = 0;
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 2; dx++) if (fb.get(x + dx, y + dy)) bits |= BRAILLE_BITS[dy][dx];
      row += String.fromCodePoint(0x2800 + bits);
    }
    out.push(row);
  }
  return out;
}

/** Pixels as quadrant block characters (2 wide, 2 high). */
export function blockRows(fb: Pick<Framebuffer, 'width' | 'height' | 'get'>): string[] {
  const out: string[] = [];
  for (let y = 0; y < fb.height; y += 2) {
    let row = '';
    for (let x = 0; x < fb.width; x += 2) {
      const q = (fb.get(x, y) ? 1 : 0) | (fb.get(x + 1, y) ? 2 : 0) | (fb.get(x, y + 1) ? 4 : 0) | (fb.get(x + 1, y + 1) ? 8 : 0);
      row += QUADRANTS[q];
    }
    out.push(row);
  }
  return out;
}

/** The framebuffer a graphic panel shows for `screen` (the SSD1306 driver's own layout, Chinese and QR included). */
export function graphicFrame(screen: Screen, width: number, height: number): Framebuffer {
  let qr;
  try {
    qr = screen.qr ? prepareQr(screen.qr, width, height) : undefined;
  } catch {
    qr = undefined; // a code too large for the panel: the driver refuses it; show the text
  }
  return layoutScreen(screen, width, height, qr).fb;
}

/** A graphic panel, framed, in braille or blocks. */
export function drawGraphicPanel(screen: Screen, width: number, height: number, style: GraphicStyle): string[] {
  const fb = graphicFrame(screen, width, height);
  const rows = style === 'braille' ? brailleRows(fb) : blockRows(fb);
  const edge = '+' + '-'.repeat(width / 2) + '+';
  return [edge, ...rows.map((r) => `|${r}|`), edge];
}

/** The panel as the board configures it. */
export function drawPanel(screen: Screen, caps: DisplayCaps, style: GraphicStyle): string[] {
  return caps.kind === 'graphic' ? drawGraphicPanel(screen, caps.width, caps.height, style) : drawTextPanel(screen, caps.cols, caps.rows);
}

/** What the PIN pad shows the cardholder, boxed beside the LCD. */
export function drawPinPad(pad: { prompting: boolean; label?: string; amount?: string } | undefined): string[] {
  if (!pad?.prompting) return [];
  const lines = [`${pad.label ?? ''} ${pad.amount ?? ''}`.trim(), 'ENTER PIN + OK', 'p=PIN 1234 b=NO PIN n=CANCEL'];
  const width = Math.max(12, ...lines.map((l) => l.length)) + 2;
  return ['+-- PIN PAD ' + '-'.repeat(width - 11) + '+', ...lines.map((l) => `| ${l.padEnd(width - 2)} |`), '+' + '-'.repeat(width) + '+'];
}
