// Argument checks shared by the chip display drivers: a Screen must be lines of text, an optional row and QR text.
import type { Screen } from './display';

/** Throws TypeError naming what was expected when `screen` is not a Screen. */
export function checkScreen(screen: unknown): asserts screen is Screen {
  const s = screen as Partial<Screen> | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.lines)) throw new TypeError('render: expected a screen { lines: string[], highlight?, qr? }');
  s.lines.forEach((line, i) => {
    if (typeof line !== 'string') throw new TypeError(`render: expected lines[${i}] to be a string, got ${typeof line}`);
  });
  if (s.highlight !== undefined && !(Number.isInteger(s.highlight) && s.highlight >= 0)) {
    throw new TypeError(`render: expected highlight to be a row index >= 0, got ${JSON.stringify(s.highlight)}`);
  }
  if (s.qr !== undefined && (typeof s.qr !== 'string' || s.qr.length === 0)) throw new TypeError('render: expected qr to be a non-empty string');
}
