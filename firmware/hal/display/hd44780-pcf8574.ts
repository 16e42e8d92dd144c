// HD44780 character LCD on a PCF8574 I2C backpack: thin I/O over hd44780-commands, sending only the cells that changed.
import type { DisplayConfig } from '../../board/devices';
import type { DriverContext, DriverFactory } from '../driver-context';
import type { DisplayCaps, Screen } from './display';
import { CMD, command, data, encodeRow, initSteps, rowAddress } from './hd44780-commands';
import { I2cDisplay, type I2cDisplayOptions } from './i2c-display';

export type Hd44780Config = Extract<DisplayConfig, { driver: 'hd44780-pcf8574' }>;

/**
 * A 16x2/16x4/20x2/20x4 text LCD. `render()` writes only the changed span of each row. `highlight` blinks the block
 * cursor on the first cell of that row (the text itself is unchanged); `qr` cannot be shown and is ignored.
 */
export class Hd44780Display extends I2cDisplay {
  readonly driver = 'hd44780-pcf8574';
  readonly caps: DisplayCaps;
  private readonly cols: 16 | 20;
  private readonly rows: 2 | 4;
  private readonly clearDelayUs: number;
  /** What the panel shows, per row, as character codes; null = unknown (after init or a fault). */
  private shown: (number[] | null)[] = [];
  private control: number | null = null;
  private cursorRow: number | null = null;

  constructor(config: Hd44780Config, ctx: DriverContext, opts: I2cDisplayOptions = {}) {
    super(config.bus, config.address, ctx, opts);
    this.cols = config.cols;
    this.rows = config.rows;
    this.clearDelayUs = config.clearDelayUs;
    this.caps = { kind: 'text', cols: config.cols, rows: config.rows };
  }

  protected async init(write: (bytes: number[]) => Promise<void>): Promise<void> {
    this.forget();
    for (const step of initSteps({ clearDelayUs: this.clearDelayUs, backlight: true })) {
      await write(step.bytes);
      if (step.delayUs > 0) await this.delayUs(step.delayUs);
    }
    // Init ends with a cleared DDRAM and the display on, cursor off.
    this.shown = Array.from({ length: this.rows }, () => Array<number>(this.cols).fill(0x20));
    this.control = CMD.DISPLAY_ON;
  }

  protected async draw(screen: Screen, write: (bytes: number[]) => Promise<void>): Promise<void> {
    const bytes: number[] = [];
    const next = Array.from({ length: this.rows }, (_, r) => encodeRow(screen.lines[r] ?? '', this.cols));
    for (let r = 0; r < this.rows; r++) {
      const span = changedSpan(this.shown[r], next[r]);
      if (!span) continue;
      bytes.push(...command(CMD.SET_DDRAM | (rowAddress(r, this.cols) + span.from), true), ...data(next[r].slice(span.from, span.to), true));
    }
    const row = screen.highlight !== undefined && screen.highlight < this.rows ? screen.highlight : null;
    const control = row === null ? CMD.DISPLAY_ON : CMD.DISPLAY_ON_BLINK;
    // The blinking block sits where the address counter points: put it back after any write, or when the row moves.
    if (row !== null && (bytes.length > 0 || row !== this.cursorRow)) bytes.push(...command(CMD.SET_DDRAM | rowAddress(row, this.cols), true));
    if (control !== this.control) bytes.push(...command(control, true));
    if (bytes.length === 0) return;
    this.forget();
    await write(bytes);
    this.shown = next;
    this.control = control;
    this.cursorRow = row;
  }

  private forget(): void {
    this.shown = Array.from({ length: this.rows }, () => null);
    this.control = null;
    this.cursorRow = null;
  }
}

/** First and one-past-last differing cell, or null when the row is unchanged. */
function changedSpan(before: number[] | null, after: number[]): { from: number; to: number } | null {
  if (!before) return { from: 0, to: after.length };
  let from = 0;
  while (from < after.length && before[from] === after[from]) from++;
  if (from === after.length) return null;
  let to = after.length;
  while (to > from && before[to - 1] === after[to - 1]) to--;
  return { from, to };
}

/** Board factory for `display.driver = "hd44780-pcf8574"` (`opts` are test seams). No I/O until `open()`. */
export const createHd44780Display = ((config: Hd44780Config, ctx: DriverContext, opts: I2cDisplayOptions = {}) =>
  new Hd44780Display(config, ctx, opts)) satisfies DriverFactory<Hd44780Config, Hd44780Display>;
