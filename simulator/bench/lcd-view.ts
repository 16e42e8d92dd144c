// What the emulated panels show, read back from the glass (HD44780 DDRAM, SSD1306 pixels) as /sim/lcd views.
import { align } from '../../firmware/hal/printer/receipt-doc';
import { SYMBOLS } from '../../firmware/hal/display/symbols';
import type { LcdView } from '../../firmware/hal/sim-controls';
import type { Hd44780Emulator } from '../emulators/hd44780-emul';
import { readPanelText, type Ssd1306Emulator } from '../emulators/ssd1306-emul';

/** The panel as a framed block of text, the highlighted row marked `>...<` (the way the console draws the sim LCD). */
export function framePanel(lines: readonly string[], cols: number, highlight?: number): string {
  const edge = '+' + '-'.repeat(cols) + '+';
  const body = lines.map((l, i) => (i === highlight ? '>' : '|') + align(l, cols) + (i === highlight ? '<' : '|'));
  return [edge, ...body, edge].join('\n');
}

/** HD44780 text (symbols named from CGRAM); the row holding the blinking block cursor is the highlight. */
export function hd44780View(emu: Hd44780Emulator): LcdView {
  const lines = emu.text(SYMBOLS);
  const state = emu.state();
  const highlight = state.displayOn && state.blink && state.cursorAt ? state.cursorAt.row : undefined;
  return { cols: emu.cols, rows: emu.rows, lines, ...(highlight !== undefined ? { highlight } : {}), text: framePanel(lines, emu.cols, highlight) };
}

/** SSD1306 text read from the pixels (6x8 and 16x16 cells); an inverted band is the highlight. */
export function ssd1306View(emu: Ssd1306Emulator): LcdView {
  const { lines, inverted } = readPanelText(emu);
  const cols = Math.floor(emu.width / 6);
  const highlight = inverted[0];
  return { cols, rows: lines.length, lines, ...(highlight !== undefined ? { highlight } : {}), text: framePanel(lines, cols, highlight) };
}
