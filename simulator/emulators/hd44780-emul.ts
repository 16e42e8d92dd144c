// PCF8574 + HD44780 emulator on the emulated I2C bus: decodes E strobes and nibbles into DDRAM/CGRAM, reads back as text.
import { tmpdir } from 'os';
import { silentLogger } from '../../firmware/log';
import { I2cEmulator, type I2cPeripheral, type I2cTiming } from '../../firmware/hal/bus/i2c.emul';
import { FakeClock } from '../../firmware/common/clock';
import { displaySchema } from '../../firmware/board/devices';
import { createHd44780Display, type Hd44780Config, type Hd44780Display } from '../../firmware/hal/display/hd44780-pcf8574';
import { SYMBOLS } from '../../firmware/hal/display/symbols';

const E = 0x04;
const RS = 0x01;
const RW = 0x02;
const BACKLIGHT = 0x08;

/** ROM A00 (the usual backpack part) glyphs that differ from ASCII. */
const ROM_A00: Record<number, string> = { 0x5c: '¥', 0x7e: '→', 0x7f: '←' };

export interface Hd44780EmulatorOptions {
  cols: 16 | 20;
  rows: 2 | 4;
  /** Emulator time in microseconds at creation, for the 40 ms power-on check. Default 0. */
  poweredAtUs?: number;
  /**
   * State the controller is in when the driver starts: `power-on` (8-bit mode), or a warm MCU restart that left it in
   * 4-bit mode expecting the high (`4bit-high`) or low (`4bit-low`) nibble. The datasheet init must recover all three.
   */
  initialState?: 'power-on' | '4bit-high' | '4bit-low';
}

/** What happened on the panel, one entry per executed instruction or data write. */
export interface Hd44780Event {
  rs: 0 | 1;
  value: number;
}

/**
 * The chip pair at one I2C address. Timing rules enforced (violations recorded, instruction ignored like the real
 * chip would lose it): nothing before 40 ms after power-on; nothing while busy (clear/home 1.52 ms, others 37 us).
 */
export class Hd44780Emulator implements I2cPeripheral {
  readonly cols: 16 | 20;
  readonly rows: 2 | 4;
  /** Timing or protocol rules broken by the driver. Tests assert this stays empty. */
  readonly violations: string[] = [];
  /** Executed instructions and data writes (after the 4-bit pairing), oldest first. */
  readonly events: Hd44780Event[] = [];
  private readonly ddram = new Uint8Array(0x80).fill(0x20);
  private readonly cgram = new Uint8Array(64);
  /** PCF8574 outputs are high after power-on (quasi-bidirectional ports), so E, RW and RS start high. */
  private port = 0xff;
  private eightBit: boolean;
  private pendingHigh: { nibble: number; rs: 0 | 1 } | null = null;
  private ac = 0;
  private acInCgram = false;
  private increment = true;
  private shift = false;
  private twoLine = false;
  private displayOn = false;
  private cursorOn = false;
  private blinkOn = false;
  private busyUntilUs = 0;
  private readonly poweredAtUs: number;

  constructor(opts: Hd44780EmulatorOptions) {
    this.cols = opts.cols;
    this.rows = opts.rows;
    this.poweredAtUs = opts.poweredAtUs ?? 0;
    const initial = opts.initialState ?? 'power-on';
    this.eightBit = initial === 'power-on';
    if (initial === '4bit-low') this.pendingHigh = { nibble: 0x0, rs: 0 };
    if (initial !== 'power-on') {
      this.twoLine = true;
      this.port = BACKLIGHT; // the expander kept the last state the previous run left: E low
    }
  }

  write(bytes: Buffer, timing: I2cTiming): void {
    bytes.forEach((b, i) => this.portWrite(b, timing.startUs + (i + 1) * timing.byteUs));
  }

  /** Backlight bit (P3) as last written. */
  get backlight(): boolean {
    return (this.port & BACKLIGHT) !== 0;
  }

  get mode(): '8-bit' | '4-bit' {
    return this.eightBit ? '8-bit' : '4-bit';
  }

  /** Display, cursor and blink flags, and where the cursor (address counter) points as row/col, if on screen. */
  state(): { displayOn: boolean; cursor: boolean; blink: boolean; twoLine: boolean; shift: boolean; cursorAt?: { row: number; col: number } } {
    return { displayOn: this.displayOn, cursor: this.cursorOn, blink: this.blinkOn, twoLine: this.twoLine, shift: this.shift, cursorAt: this.acInCgram ? undefined : this.cellOf(this.ac) };
  }

  /** Raw character codes of one visible row. */
  rowCodes(row: number): number[] {
    if (!this.twoLine && row > 0) return Array(this.cols).fill(0x20);
    const base = this.rowBase(row);
    return Array.from({ length: this.cols }, (_, c) => this.ddram[base + c]);
  }

  /** CGRAM slot `slot` (0-7) as eight 5-bit rows. */
  cgramGlyph(slot: number): number[] {
    return [...this.cgram.subarray(slot * 8, slot * 8 + 8)].map((r) => r & 0x1f);
  }

  /** CGRAM slot as ASCII art ('#' on, '.' off). */
  cgramArt(slot: number): string[] {
    return this.cgramGlyph(slot).map((r) => r.toString(2).padStart(5, '0').replace(/1/g, '#').replace(/0/g, '.'));
  }

  /**
   * The screen as text, rows right-trimmed. Custom characters (codes 0-15) are named by matching their CGRAM
   * bitmap against `glyphs` (char -> 8 rows), else U+FFFD; ROM codes outside ASCII read as U+FFFD.
   */
  text(glyphs: ReadonlyArray<{ chars: string[]; rows: readonly number[] }> = []): string[] {
    const byBitmap = new Map(glyphs.map((g) => [g.rows.join(','), g.chars[0]]));
    return Array.from({ length: this.rows }, (_, r) =>
      this.rowCodes(r)
        .map((code) => {
          if (code < 0x10) return byBitmap.get(this.cgramGlyph(code & 7).join(',')) ?? '\uFFFD';
          if (ROM_A00[code]) return ROM_A00[code];
          return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : '\uFFFD';
        })
        .join('')
        .replace(/ +$/, ''),
    );
  }

  private rowBase(row: number): number {
    const offsets = this.cols === 20 ? [0x00, 0x40, 0x14, 0x54] : [0x00, 0x40, 0x10, 0x50];
    return offsets[row];
  }

  private cellOf(addr: number): { row: number; col: number } | undefined {
    for (let r = 0; r < this.rows; r++) {
      const base = this.rowBase(r);
      if (addr >= base && addr < base + this.cols) return { row: r, col: addr - base };
    }
    return undefined;
  }

  private portWrite(value: number, atUs: number): void {
    const fallingE = (this.port & E) !== 0 && (value & E) === 0;
    const latched = this.port;
    this.port = value;
    if (!fallingE) return;
    // The HD44780 latches D4-D7, RS and RW on the falling edge of E; the values are those present while E was high.
    if (latched & RW) {
      // A read cycle (the first write after power-on ends one: the expander's outputs start high). Harmless, but in
      // 4-bit mode it takes a nibble slot like any transfer.
      if (!this.eightBit) this.pendingHigh = this.pendingHigh ? null : { nibble: 0, rs: latched & RS ? 1 : 0 };
      return;
    }
    this.strobe((latched >> 4) & 0x0f, latched & RS ? 1 : 0, atUs);
  }

  private strobe(nib: number, rs: 0 | 1, atUs: number): void {
    if (this.eightBit) {
      this.execute(nib << 4, rs, atUs);
      return;
    }
    if (!this.pendingHigh) {
      this.pendingHigh = { nibble: nib, rs };
      return;
    }
    const high = this.pendingHigh;
    this.pendingHigh = null;
    if (high.rs !== rs) this.violations.push(`RS changed between the two nibbles of one transfer at ${atUs.toFixed(0)} us`);
    this.execute((high.nibble << 4) | nib, rs, atUs);
  }

  private execute(value: number, rs: 0 | 1, atUs: number): void {
    if (atUs < this.poweredAtUs + 40_000) {
      this.violations.push(`${rs ? 'data' : 'instruction'} 0x${value.toString(16)} at ${atUs.toFixed(0)} us, before 40 ms after power-on`);
      return;
    }
    if (atUs < this.busyUntilUs) {
      this.violations.push(`${rs ? 'data' : 'instruction'} 0x${value.toString(16)} at ${atUs.toFixed(0)} us while busy until ${this.busyUntilUs.toFixed(0)} us`);
      return;
    }
    this.events.push({ rs, value });
    this.busyUntilUs = atUs + (!rs && (value === 0x01 || (value & 0xfe) === 0x02) ? 1520 : 37);
    if (rs) this.writeData(value);
    else this.instruction(value);
  }

  private writeData(value: number): void {
    if (this.acInCgram) {
      this.cgram[this.ac & 0x3f] = value;
      this.ac = (this.ac + (this.increment ? 1 : -1)) & 0x3f;
      return;
    }
    this.ddram[this.ac] = value;
    this.ac = this.nextDdram(this.ac);
  }

  private nextDdram(addr: number): number {
    if (!this.twoLine) return (addr + (this.increment ? 1 : -1) + 0x50) % 0x50;
    const step = this.increment ? 1 : -1;
    const next = addr + step;
    if (this.increment && addr === 0x27) return 0x40;
    if (this.increment && addr === 0x67) return 0x00;
    if (!this.increment && addr === 0x40) return 0x27;
    if (!this.increment && addr === 0x00) return 0x67;
    return next;
  }

  private instruction(v: number): void {
    if (v & 0x80) {
      this.acInCgram = false;
      this.ac = v & 0x7f;
    } else if (v & 0x40) {
      this.acInCgram = true;
      this.ac = v & 0x3f;
    } else if (v & 0x20) {
      this.eightBit = (v & 0x10) !== 0;
      this.twoLine = (v & 0x08) !== 0;
      if (!this.eightBit) this.pendingHigh = null;
    } else if (v & 0x10) {
      this.violations.push(`cursor/display shift 0x${v.toString(16)}: the driver should address cells instead`);
    } else if (v & 0x08) {
      this.displayOn = (v & 0x04) !== 0;
      this.cursorOn = (v & 0x02) !== 0;
      this.blinkOn = (v & 0x01) !== 0;
    } else if (v & 0x04) {
      this.increment = (v & 0x02) !== 0;
      this.shift = (v & 0x01) !== 0;
    } else if (v & 0x02) {
      this.ac = 0;
      this.acInCgram = false;
    } else if (v & 0x01) {
      this.ddram.fill(0x20);
      this.ac = 0;
      this.acInCgram = false;
      this.increment = true;
    }
  }
}

// ---- Rig: the real driver on an emulated bus with this emulator at 0x27 (contract suites, menu walks) ----

export interface Hd44780Rig {
  device: Hd44780Display;
  emulator: Hd44780Emulator;
  bus: I2cEmulator;
  clock: FakeClock;
  /** Rows as the glass shows them, right-trimmed; symbols named from CGRAM. */
  screenText(): string[];
  teardown(): Promise<void>;
}

export function makeHd44780Rig(opts: { cols: 16 | 20; rows: 2 | 4; clock?: FakeClock }): Hd44780Rig {
  const clock = opts.clock ?? new FakeClock();
  const bus = new I2cEmulator({ clock });
  const emulator = new Hd44780Emulator({ cols: opts.cols, rows: opts.rows });
  bus.attach(0x27, emulator);
  const config = displaySchema.parse({ driver: 'hd44780-pcf8574', bus: 'emulated', cols: opts.cols, rows: opts.rows }) as Hd44780Config;
  const device = createHd44780Display(config, { log: silentLogger, dataDir: tmpdir(), peers: new Map([['i2c:emulated', bus]]) }, { delayUs: clock.delayUs });
  return { device, emulator, bus, clock, screenText: () => emulator.text(SYMBOLS), teardown: () => device.close() };
}
