// SSD1306 128x64/128x32 OLED on I2C: thin I/O that draws a laid-out framebuffer and sends only the changed page spans.
import type { DisplayConfig } from '../../board/devices';
import type { DriverContext, DriverFactory } from '../driver-context';
import type { DisplayCaps, Screen } from './display';
import type { Framebuffer } from './framebuffer';
import { layoutScreen, prepareQr, textGrid, type PreparedQr } from './graphic-layout';
import { I2cDisplay, type I2cDisplayOptions } from './i2c-display';
import { OP, commands, displayData, initCommands, pageAddress } from './ssd1306-commands';

export type Ssd1306Config = Extract<DisplayConfig, { driver: 'ssd1306' }>;

interface PreparedScreen extends Screen {
  prepared?: PreparedQr;
}

/**
 * A graphic OLED. Text rows use a 6x8 font (21x8 on 128x64); a line with Chinese is 16 px high (16x16 glyphs) and
 * takes two rows. `highlight` inverts the line; `qr` draws the code at the right edge (text is clipped beside it).
 * `render()` throws RangeError at once for a QR payload too long to fit.
 */
export class Ssd1306Display extends I2cDisplay {
  readonly driver = 'ssd1306';
  readonly caps: DisplayCaps;
  private readonly width: number;
  private readonly height: 64 | 32;
  /** What GDDRAM holds; null = unknown (after init or a fault): the next frame is sent in full. */
  private shown: Framebuffer | null = null;
  private on = false;

  constructor(config: Ssd1306Config, ctx: DriverContext, opts: I2cDisplayOptions = {}) {
    super(config.bus, config.address, ctx, opts);
    this.width = config.width;
    this.height = config.height;
    const grid = textGrid(this.width, this.height);
    this.caps = { kind: 'graphic', cols: grid.cols, rows: grid.rows, width: this.width, height: this.height };
  }

  /** The last frame sent to the panel (null before the first render), for the simulator's view and tests. */
  frame(): Framebuffer | null {
    return this.shown ? this.shown.clone() : null;
  }

  protected override prepare(screen: Screen): Screen {
    if (screen.qr === undefined) return screen;
    const prepared: PreparedScreen = { ...screen, prepared: prepareQr(screen.qr, this.width, this.height) };
    return prepared;
  }

  protected async init(write: (bytes: number[]) => Promise<void>): Promise<void> {
    this.shown = null;
    this.on = false;
    await write(commands(initCommands(this.height)));
  }

  protected async draw(screen: PreparedScreen, write: (bytes: number[]) => Promise<void>): Promise<void> {
    const { fb } = layoutScreen(screen, this.width, this.height, screen.prepared);
    const before = this.shown;
    this.shown = null;
    for (const span of fb.diff(before)) {
      await write(commands(pageAddress(span.page, span.from)));
      await write(displayData(fb.pageBytes(span.page, span.from, span.to)));
    }
    // Switch on only once GDDRAM holds a whole frame, so power-on garbage is never shown.
    if (!this.on) {
      await write(commands([OP.DISPLAY_ON]));
      this.on = true;
    }
    this.shown = fb;
  }
}

/** Board factory for `display.driver = "ssd1306"` (`opts` are test seams). No I/O until `open()`. */
export const createSsd1306Display = ((config: Ssd1306Config, ctx: DriverContext, opts: I2cDisplayOptions = {}) =>
  new Ssd1306Display(config, ctx, opts)) satisfies DriverFactory<Ssd1306Config, Ssd1306Display>;
