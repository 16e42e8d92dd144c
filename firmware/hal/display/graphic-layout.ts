// Lays a Screen out on a monochrome panel: 6x8 text rows, 16-pixel rows for Chinese, inverted highlight, QR at the right.
import type { Screen } from './display';
import { Framebuffer } from './framebuffer';
import { needsTallRow, smallGlyph, tallGlyph, SMALL_CELL, TALL_HEIGHT, type Glyph } from './font';
import { isWideChar } from './hd44780-commands';
import { drawQr, placeQr, qrMatrix, type QrMatrix, type QrPlacement } from './qr-draw';

/** Text grid of a panel in 6x8 cells. */
export function textGrid(width: number, height: number): { cols: number; rows: number } {
  return { cols: Math.floor(width / SMALL_CELL.width), rows: Math.floor(height / SMALL_CELL.height) };
}

/** A checked QR ready to draw; computed before the render is queued so a payload that cannot fit throws at once. */
export interface PreparedQr {
  matrix: QrMatrix;
  placement: QrPlacement;
}

export function prepareQr(payload: string, width: number, height: number): PreparedQr {
  const matrix = qrMatrix(payload);
  return { matrix, placement: placeQr(matrix.size, width, height) };
}

/** What was drawn where: one entry per line shown (lines that did not fit are left out). */
export interface LaidOutLine {
  index: number;
  y: number;
  height: 8 | 16;
  text: string;
}

/** A 16x16 box for a wide character the generated font subset lacks (the "tofu" glyph). */
const TOFU: Glyph = { width: 16, height: 16, rows: [0, 0x7ffe, ...Array<number>(12).fill(0x4002), 0x7ffe, 0] };

/**
 * Draws `screen` into a fresh framebuffer. Lines stack from the top: a line is 8 px (6x8 font, `cols` cells) or, when
 * it holds Chinese, 16 px (8x16 ASCII and 16x16 glyphs); lines that no longer fit are dropped. With a QR, text is
 * clipped to the width left of the code. The highlighted line is drawn inverted across the text area.
 */
export function layoutScreen(screen: Screen, width: number, height: number, qr?: PreparedQr): { fb: Framebuffer; lines: LaidOutLine[] } {
  const fb = new Framebuffer(width, height);
  const textWidth = qr ? Math.max(0, qr.placement.x - 2) : width;
  const lines: LaidOutLine[] = [];
  let y = 0;
  screen.lines.forEach((text, index) => {
    const tall = needsTallRow(text);
    const h = tall ? TALL_HEIGHT : SMALL_CELL.height;
    if (y + h > height) return;
    const inverted = screen.highlight === index;
    if (inverted) fb.fillRect(0, y, qr ? textWidth : width, h, true);
    const shown = tall ? drawTallText(fb, text, y, textWidth, inverted) : drawSmallText(fb, text, y, textWidth, inverted);
    lines.push({ index, y, height: h, text: shown });
    y += h;
  });
  if (qr) drawQr(fb, qr.matrix, qr.placement);
  return { fb, lines };
}

function blit(fb: Framebuffer, g: Glyph, x: number, y: number, inverted: boolean): void {
  for (let gy = 0; gy < g.height; gy++) {
    const row = g.rows[gy];
    for (let gx = 0; gx < g.width; gx++) if ((row >> (g.width - 1 - gx)) & 1) fb.set(x + gx, y + gy, !inverted);
  }
}

function drawSmallText(fb: Framebuffer, text: string, y: number, maxWidth: number, inverted: boolean): string {
  let x = 0;
  let shown = '';
  for (const ch of text) {
    if (x + SMALL_CELL.width > maxWidth) break;
    const g = smallGlyph(ch);
    blit(fb, g ?? smallGlyph('?')!, x, y, inverted);
    shown += g ? ch : '?';
    x += SMALL_CELL.width;
  }
  return shown;
}

function drawTallText(fb: Framebuffer, text: string, y: number, maxWidth: number, inverted: boolean): string {
  let x = 0;
  let shown = '';
  for (const ch of text) {
    const wide = isWideChar(ch.codePointAt(0) ?? 0);
    const g = tallGlyph(ch) ?? (wide ? TOFU : tallGlyph('?')!);
    if (x + g.width > maxWidth) break;
    blit(fb, g, x, y, inverted);
    shown += g === TOFU ? '\uFFFD' : tallGlyph(ch) ? ch : '?';
    x += g.width;
  }
  return shown;
}
