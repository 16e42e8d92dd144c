// Keypad matrix emulator on the GPIO emulator: a pressed key connects its row line to its column line (pull-ups).
import type { Key } from '../../firmware/common/keys';
import type { Unsubscribe } from '../../firmware/common/listeners';
import { tmpdir } from 'os';
import { silentLogger } from '../../firmware/log';
import { GpioEmulator } from '../../firmware/hal/bus/gpio.emul';
import { FakeClock, type Clock } from '../../firmware/common/clock';
import { keypadSchema } from '../../firmware/board/devices';
import { createGpioKeypad, type GpioKeypadConfig, type GpioMatrixKeypad } from '../../firmware/hal/keypad/keypad.gpio';

export interface KeypadMatrixOptions {
  rows: number[];
  cols: number[];
  /** `keymap[row][col]`, the same names as the board config. */
  keymap: string[][];
  /** Needed for bouncing contacts (the bounce is played out on this clock). */
  clock?: Clock;
}

/** Contact chatter: the contact toggles after each of these gaps (ms) before it settles. */
export interface BounceOptions {
  bounceMs?: number[];
}

/**
 * A membrane/switch matrix without diodes. A column reads low when some closed contact in it joins a row line that is
 * an output driven low; otherwise the pull-up holds it high. Recomputed on every row write, synchronously, so the
 * driver's next read sees the right level.
 */
export class KeypadMatrixEmulator {
  private readonly closed = new Set<string>();
  private readonly unsubscribe: Unsubscribe;

  constructor(
    private readonly gpio: GpioEmulator,
    private readonly opts: KeypadMatrixOptions,
  ) {
    this.unsubscribe = gpio.onOutput(() => this.update());
    this.update();
  }

  /** Closes the key's contact (optionally bouncing first). Throws for a key not in the keymap. */
  press(key: string, bounce: BounceOptions = {}): void {
    this.settle(key, true, bounce);
  }

  /** Opens the key's contact (optionally bouncing first). */
  release(key: string, bounce: BounceOptions = {}): void {
    this.settle(key, false, bounce);
  }

  /** Keys whose contacts are closed now. */
  held(): string[] {
    return [...this.closed].map((id) => {
      const [r, c] = id.split(',').map(Number);
      return this.opts.keymap[r][c];
    });
  }

  detach(): void {
    this.unsubscribe();
  }

  private settle(key: string, close: boolean, bounce: BounceOptions): void {
    const id = this.position(key);
    const gaps = bounce.bounceMs ?? [];
    if (gaps.length === 0) return this.setContact(id, close);
    const clock = this.opts.clock;
    if (!clock) throw new Error('KeypadMatrixEmulator: bouncing needs opts.clock');
    // Chatter: flip to the target, then back and forth; the last flip leaves the contact at the target.
    let state = close;
    this.setContact(id, state);
    let at = 0;
    const flips = gaps.length % 2 === 0 ? gaps : [...gaps, 0];
    for (const gap of flips) {
      at += gap;
      state = !state;
      const s = state;
      clock.setTimeout(() => this.setContact(id, s), at);
    }
  }

  private position(key: string): string {
    for (let r = 0; r < this.opts.keymap.length; r++) {
      const c = this.opts.keymap[r].indexOf(key);
      if (c >= 0) return `${r},${c}`;
    }
    throw new Error(`KeypadMatrixEmulator: "${key}" is not in the keymap`);
  }

  private setContact(id: string, close: boolean): void {
    if (close) this.closed.add(id);
    else this.closed.delete(id);
    this.update();
  }

  private update(): void {
    this.opts.cols.forEach((colLine, c) => {
      let low = false;
      for (const id of this.closed) {
        const [r, cc] = id.split(',').map(Number);
        if (cc !== c) continue;
        const row = this.opts.rows[r];
        const info = this.gpio.info(row);
        if (info.exported && info.direction !== 'in' && this.gpio.level(row) === 0) low = true;
      }
      this.gpio.setInput(colLine, low ? 0 : 1);
    });
  }
}

// ---- Rig: the real keypad driver on the GPIO emulator with a 4x4 matrix (contract suites, menu walks) ----

/** A common 4x4 POS keypad layout, wired rows 5/6/13/19 and columns 12/16/20/21. */
export const RIG_MATRIX = {
  rows: [5, 6, 13, 19],
  cols: [12, 16, 20, 21],
  keymap: [
    ['1', '2', '3', 'CLEAR'],
    ['4', '5', '6', 'CANCEL'],
    ['7', '8', '9', 'OK'],
    ['UP', '0', 'DOWN', 'MENU'],
  ] as Key[][],
};

export interface GpioKeypadRig {
  device: GpioMatrixKeypad;
  gpio: GpioEmulator;
  matrix: KeypadMatrixEmulator;
  clock: FakeClock;
  /** Press, hold `holdMs` (default 40), release, let it settle (40 ms): one key event. */
  press(key: Key, holdMs?: number): Promise<void>;
  teardown(): Promise<void>;
}

export function makeGpioKeypadRig(opts: { clock?: FakeClock } = {}): GpioKeypadRig {
  const clock = opts.clock ?? new FakeClock();
  const gpio = new GpioEmulator();
  const matrix = new KeypadMatrixEmulator(gpio, { ...RIG_MATRIX, clock });
  const config = keypadSchema.parse({ driver: 'gpio-matrix', gpio: 'emulated', ...RIG_MATRIX }) as GpioKeypadConfig;
  const device = createGpioKeypad(config, { log: silentLogger, dataDir: tmpdir(), peers: new Map([['gpio:emulated', gpio]]), clock });
  const press = async (key: Key, holdMs = 40) => {
    matrix.press(key);
    await clock.advance(holdMs);
    matrix.release(key);
    await clock.advance(40);
  };
  return { device, gpio, matrix, clock, press, teardown: () => device.close() };
}
