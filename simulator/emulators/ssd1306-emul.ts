// SSD1306 emulator on the emulated I2C bus: decodes control bytes, commands and GDDRAM data into the panel's pixels.
import { tmpdir } from 'os';
import { silentLogger } from '../../firmware/log';
import { I2cEmulator, type I2cPeripheral, type I2cTiming } from '../../firmware/hal/bus/i2c.emul';
import { FakeClock } from '../../firmware/common/clock';
import { displaySchema } from '../../firmware/board/devices';
import { createSsd1306Display, type Ssd1306Config, type Ssd1306Display } from '../../firmware/hal/display/ssd1306';
import { asciiArt } from '../../firmware/hal/display/framebuffer';
import { allGlyphs, type Glyph } from '../../firmware/hal/display/font';

/** Argument counts of multi-byte commands (datasheet table 9-1). */
const ARGS: Record<number, number> = {
  0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xa8: 1, 0xd3: 1, 0xd5: 1, 0xd9: 1, 0xda: 1, 0xdb: 1, 0x8d: 1,
  0x26: 6, 0x27: 6, 0x29: 5, 0x2a: 5, 0xa3: 2,
};

export interface Ssd1306EmulatorOptions {
  width?: 128;
  height: 64 | 32;
}

/**
 * One module at one address. The glass is wired like the common 0.96"/0.91" modules: with segment remap (A1) and
 * COM scan descending (C8), column 0 is at the left and page 0 at the top; 64-row modules need the alternative COM
 * pin configuration (0x12), 32-row ones the sequential (0x02); nothing lights without the charge pump (8D 14).
 */
export class Ssd1306Emulator implements I2cPeripheral {
  readonly width = 128;
  readonly height: 64 | 32;
  /** Protocol problems seen (unknown commands, data before init, wrong COM pins). Tests assert this stays empty. */
  readonly violations: string[] = [];
  /** Every command with its arguments, oldest first. */
  readonly commandLog: number[][] = [];
  readonly gddram = new Uint8Array(8 * 128);
  private displayOn = false;
  private chargePump = false;
  private inverse = false;
  private entireOn = false;
  private segRemap = false;
  private comScanDec = false;
  private mux = 63;
  private startLine = 0;
  private offset = 0;
  private comPins = 0x12;
  private mode: 0 | 1 | 2 = 2;
  private page = 0;
  private col = 0;
  private colRange: [number, number] = [0, 127];
  private pageRange: [number, number] = [0, 7];
  private pending: number[] | null = null;
  contrast = 0x7f;

  constructor(opts: Ssd1306EmulatorOptions) {
    this.height = opts.height;
  }

  write(bytes: Buffer, _timing: I2cTiming): void {
    let i = 0;
    while (i < bytes.length) {
      const control = bytes[i++];
      if ((control & 0x3f) !== 0) this.violations.push(`control byte 0x${control.toString(16)}: low six bits must be 0`);
      const isData = (control & 0x40) !== 0;
      const continuation = (control & 0x80) !== 0;
      const take = continuation ? bytes.subarray(i, i + 1) : bytes.subarray(i);
      for (const b of take) (isData ? this.data(b) : this.command(b));
      i += take.length;
    }
  }

  /** Whether the panel is lit: display on, charge pump on. */
  get lit(): boolean {
    return this.displayOn && this.chargePump;
  }

  /** The pixel as seen on the glass (after remaps, start line, offset, inverse; dark when not lit). */
  get(x: number, y: number): boolean {
    if (!this.lit || x < 0 || y < 0 || x >= this.width || y >= this.height) return false;
    if (this.entireOn) return true;
    const col = this.segRemap ? x : this.width - 1 - x;
    const rows = this.mux + 1;
    if (y >= rows) return false;
    const row = ((this.comScanDec ? y : rows - 1 - y) + this.startLine + this.offset) % 64;
    const on = (this.gddram[(row >> 3) * 128 + col] & (1 << (row & 7))) !== 0;
    return on !== this.inverse;
  }

  /** The glass as ASCII art ('#' lit). */
  art(area?: { x: number; y: number; w: number; h: number }): string[] {
    return asciiArt(this, area);
  }

  private command(b: number): void {
    if (this.pending) {
      this.pending.push(b);
      if (this.pending.length - 1 === ARGS[this.pending[0]]) this.apply(this.pending);
      return;
    }
    if (ARGS[b] !== undefined) {
      this.pending = [b];
      return;
    }
    this.apply([b]);
  }

  private apply(cmd: number[]): void {
    this.pending = null;
    this.commandLog.push(cmd);
    const [op, a, b] = cmd;
    if (op <= 0x0f) this.col = (this.col & 0xf0) | op;
    else if (op <= 0x1f) this.col = ((op & 0x0f) << 4) | (this.col & 0x0f);
    else if (op === 0x20) this.mode = (a & 3) === 3 ? this.invalid(cmd, 2) : ((a & 3) as 0 | 1 | 2);
    else if (op === 0x21) [this.colRange, this.col] = [[a & 0x7f, b & 0x7f], a & 0x7f];
    else if (op === 0x22) [this.pageRange, this.page] = [[a & 7, b & 7], a & 7];
    else if (op >= 0x40 && op <= 0x7f) this.startLine = op & 0x3f;
    else if (op === 0x81) this.contrast = a;
    else if (op === 0x8d) this.chargePump = (a & 0x04) !== 0;
    else if (op === 0xa0 || op === 0xa1) this.segRemap = op === 0xa1;
    else if (op === 0xa4 || op === 0xa5) this.entireOn = op === 0xa5;
    else if (op === 0xa6 || op === 0xa7) this.inverse = op === 0xa7;
    else if (op === 0xa8) this.mux = a < 15 ? this.invalid(cmd, this.mux) : a & 0x3f;
    else if (op === 0xae || op === 0xaf) this.setDisplay(op === 0xaf);
    else if (op >= 0xb0 && op <= 0xb7) this.page = op & 7;
    else if (op === 0xc0 || op === 0xc8) this.comScanDec = op === 0xc8;
    else if (op === 0xd3) this.offset = a & 0x3f;
    else if (op === 0xda) this.comPins = a;
    else if ([0xd5, 0xd9, 0xdb, 0xe3, 0x2e, 0x2f, 0x26, 0x27, 0x29, 0x2a, 0xa3].includes(op)) return;
    else this.violations.push(`unknown command 0x${op.toString(16)}`);
  }

  private invalid<T>(cmd: number[], keep: T): T {
    this.violations.push(`invalid command ${cmd.map((b) => b.toString(16)).join(' ')}`);
    return keep;
  }

  private setDisplay(on: boolean): void {
    this.displayOn = on;
    if (!on) return;
    const wanted = this.height === 64 ? 0x12 : 0x02;
    if ((this.comPins & 0x12) !== wanted) this.violations.push(`COM pins 0x${this.comPins.toString(16)} do not match a 128x${this.height} module (expected 0x${wanted.toString(16)})`);
    if (!this.chargePump) this.violations.push('display on without the charge pump (8D 14): the panel stays dark');
  }

  private data(b: number): void {
    this.gddram[this.page * 128 + this.col] = b;
    if (this.mode === 2) {
      this.col = this.col === 127 ? 0 : this.col + 1;
      return;
    }
    const [c0, c1] = this.colRange;
    const [p0, p1] = this.pageRange;
    if (this.mode === 0) {
      if (this.col < c1) this.col++;
      else [this.col, this.page] = [c0, this.page < p1 ? this.page + 1 : p0];
    } else if (this.page < p1) this.page++;
    else [this.page, this.col] = [p0, this.col < c1 ? this.col + 1 : c0];
  }
}

// ---- Reading the glass back as text and QR modules (test helpers) ----

interface PixelSource {
  width: number;
  height: number;
  get(x: number, y: number): boolean;
}

let glyphIndex: { small: Map<string, string>; tall: Map<string, string> } | null = null;

function cellKey(src: PixelSource, x: number, y: number, w: number, h: number, inverted: boolean): string {
  let key = '';
  for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) key += src.get(x + xx, y + yy) !== inverted ? '1' : '0';
  return key;
}

function glyphKey(g: Glyph): string {
  let key = '';
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) key += (g.rows[y] >> (g.width - 1 - x)) & 1 ? '1' : '0';
  return `${g.width}x${g.height}:${key}`;
}

function index(): { small: Map<string, string>; tall: Map<string, string> } {
  if (glyphIndex) return glyphIndex;
  const { small, tall } = allGlyphs();
  glyphIndex = { small: new Map(), tall: new Map() };
  for (const [ch, g] of small) glyphIndex.small.set(glyphKey(g), ch);
  for (const [ch, g] of tall) glyphIndex.tall.set(glyphKey(g), ch);
  return glyphIndex;
}

function readSmallRow(src: PixelSource, y: number, inverted: boolean): string {
  let out = '';
  for (let x = 0; x + 6 <= src.width; x += 6) out += index().small.get(`6x8:${cellKey(src, x, y, 6, 8, inverted)}`) ?? '\uFFFD';
  return out;
}

function readTallRow(src: PixelSource, y: number, inverted: boolean): { text: string; wide: number } {
  let out = '';
  let wide = 0;
  for (let x = 0; x + 8 <= src.width; ) {
    const han = x + 16 <= src.width ? index().tall.get(`16x16:${cellKey(src, x, y, 16, 16, inverted)}`) : undefined;
    if (han) {
      out += han;
      wide++;
      x += 16;
      continue;
    }
    out += index().tall.get(`8x16:${cellKey(src, x, y, 8, 16, inverted)}`) ?? '\uFFFD';
    x += 8;
  }
  return { text: out, wide };
}

const unknowns = (s: string) => [...s].filter((c) => c === '\uFFFD').length;
/** Right-trims spaces and a trailing run of unreadable cells (a QR code at the right edge reads as nothing). */
const trimRow = (s: string) => s.replace(/[ \uFFFD]+$/u, '');

/**
 * Reads the glass back as text lines, the way the graphic layout stacks them: each band is read as a 16-px Chinese
 * line when that finds at least one 16x16 glyph, else as an 8-px line of 6x8 cells; inverted (highlighted) bands are
 * recognised. Unreadable cells come out as U+FFFD.
 */
export function readPanelText(src: PixelSource): { lines: string[]; inverted: number[] } {
  const lines: string[] = [];
  const inverted: number[] = [];
  for (let y = 0; y < src.height; ) {
    const candidates: { text: string; h: number; inv: boolean }[] = [];
    for (const inv of [false, true]) {
      if (y + 16 <= src.height) {
        const tall = readTallRow(src, y, inv);
        if (tall.wide > 0) candidates.push({ text: tall.text, h: 16, inv });
      }
      candidates.push({ text: readSmallRow(src, y, inv), h: 8, inv });
    }
    // Fewest unreadable cells wins (a QR beside the text costs every reading the same); ties prefer a Chinese line,
    // then non-inverted.
    candidates.sort((a, b) => unknowns(a.text) - unknowns(b.text) || b.h - a.h || Number(a.inv) - Number(b.inv));
    const best = candidates[0];
    if (best.inv) inverted.push(lines.length);
    lines.push(trimRow(best.text));
    y += best.h;
  }
  return { lines, inverted };
}

/**
 * Finds a QR code drawn dark-on-light (top-left finder pattern, 1 or 2 px/module) and reads its `size`x`size`
 * modules. Returns null when there is none.
 */
export function readPanelQr(src: PixelSource, size: number): { x: number; y: number; scale: number; dark: boolean[][] } | null {
  for (const scale of [2, 1]) {
    for (let y = 0; y + size * scale <= src.height; y++) {
      for (let x = 0; x + size * scale <= src.width; x++) {
        if (!finderAt(src, x, y, scale)) continue;
        const dark = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => !src.get(x + c * scale, y + r * scale)));
        return { x, y, scale, dark };
      }
    }
  }
  return null;
}

/** A 7x7 finder (dark ring, light ring, dark 3x3) with a light separator above and to the left. */
function finderAt(src: PixelSource, x: number, y: number, s: number): boolean {
  const dark = (c: number, r: number) => {
    for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) if (src.get(x + c * s + dx, y + r * s + dy)) return false;
    return true;
  };
  const light = (c: number, r: number) => {
    for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) if (!src.get(x + c * s + dx, y + r * s + dy)) return false;
    return true;
  };
  for (let r = -1; r <= 7; r++) {
    for (let c = -1; c <= 7; c++) {
      if (r === -1 || c === -1) {
        if (!light(c, r)) return false;
        continue;
      }
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      const wantDark = ring === 3 || ring <= 1;
      if (wantDark ? !dark(c, r) : !light(c, r)) return false;
    }
  }
  return true;
}

// ---- Rig: the real driver on an emulated bus with this emulator at 0x3C (contract suites, menu walks) ----

export interface Ssd1306Rig {
  device: Ssd1306Display;
  emulator: Ssd1306Emulator;
  bus: I2cEmulator;
  clock: FakeClock;
  /** Lines read back from the glass (see readPanelText). */
  screenText(): string[];
  teardown(): Promise<void>;
}

export function makeSsd1306Rig(opts: { height: 64 | 32; clock?: FakeClock }): Ssd1306Rig {
  const clock = opts.clock ?? new FakeClock();
  const bus = new I2cEmulator({ clock, busHz: 400_000 });
  const emulator = new Ssd1306Emulator({ height: opts.height });
  bus.attach(0x3c, emulator);
  const config = displaySchema.parse({ driver: 'ssd1306', bus: 'emulated', height: opts.height }) as Ssd1306Config;
  const device = createSsd1306Display(config, { log: silentLogger, dataDir: tmpdir(), peers: new Map([['i2c:emulated', bus]]) }, { delayUs: clock.delayUs });
  return { device, emulator, bus, clock, screenText: () => readPanelText(emulator).lines, teardown: () => device.close() };
}
