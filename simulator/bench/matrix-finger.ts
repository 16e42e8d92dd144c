// A finger on the emulated keypad matrix: holds a key until the driver's scans have seen it long enough, then lets go.
import type { BinaryValue } from '../../firmware/hal/bus/gpio';
import type { GpioEmulator } from '../../firmware/hal/bus/gpio.emul';
import type { KeypadMatrixEmulator } from '../emulators/keypad-matrix-emul';

export interface FingerOptions {
  rows: readonly number[];
  keymap: readonly (readonly string[])[];
  /** The driver's debounce time (board config `debounceMs`). */
  debounceMs: number;
  /** Give up when the driver does not scan (not open, stuck) within this long. Default 3000 ms. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Presses keys the way a driver under load still reads right. Fixed hold times are not enough when the event loop
 * stalls: a scan can come late, so a short press or a short gap between two presses of one key can be missed.
 * Instead it watches the row lines: the driver samples a row by driving it low, so a key is held until the
 * driver has sampled its row closed over more than `debounceMs` (the debouncer has then accepted it), and after
 * the release it waits until the driver is idle again (every row low: all keys seen up and settled).
 */
export class MatrixFinger {
  private turn: Promise<void> = Promise.resolve();
  private readonly timeoutMs: number;

  constructor(
    private readonly gpio: GpioEmulator,
    private readonly matrix: KeypadMatrixEmulator,
    private readonly opts: FingerOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
  }

  /** Presses and releases `key`; presses from concurrent callers take turns. Rejects for a key not in the keymap. */
  press(key: string): Promise<void> {
    const done = this.turn.then(() => this.tap(key));
    this.turn = done.catch(() => undefined);
    return done;
  }

  private async tap(key: string): Promise<void> {
    const row = this.opts.keymap.findIndex((r) => r.includes(key));
    if (row < 0) throw new Error(`MatrixFinger: "${key}" is not in the keymap`);
    const line = this.opts.rows[row];
    const samples: number[] = [];
    const off = this.gpio.onOutput((gpio: number, value: BinaryValue) => {
      if (gpio === line && value === 0) samples.push(performance.now());
    });
    try {
      this.matrix.press(key);
      // The driver timestamps a sample just after it drives the row: a 1 ms margin covers the difference.
      await this.until(() => samples.length > 1 && samples[samples.length - 1] - samples[0] > this.opts.debounceMs + 1, `the driver to accept "${key}"`);
    } finally {
      off();
      this.matrix.release(key);
    }
    await this.until(() => this.opts.rows.every((r) => this.gpio.level(r) === 0), `the driver to see "${key}" released`);
  }

  private async until(check: () => boolean, what: string): Promise<void> {
    const end = performance.now() + this.timeoutMs;
    for (let guard = 0; guard < 100_000; guard++) {
      if (check()) return;
      if (performance.now() > end) throw new Error(`MatrixFinger: timed out waiting for ${what}`);
      await sleep(2);
    }
  }
}
