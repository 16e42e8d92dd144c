// GPIO matrix keypad: rows driven low, columns read with pull-ups; sleeps on a column edge, scans while keys are down.
import type { KeyEvent } from '../../common/keys';
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { KeypadConfig } from '../../board/devices';
import { DeviceError } from '../device';
import type { DriverContext, DriverFactory } from '../driver-context';
import type { Logger } from '../../log';
import { openGpioChip, type GpioLine, type GpioWatchCallback, type OpenGpioOptions } from '../bus/gpio';
import { systemClock, type TimerHandle, type Clock } from '../../common/clock';
import type { Keypad } from './keypad';
import { MatrixDebouncer, resolveKeymap, resolveRepeatKeys, type ResolvedKeymap } from './matrix-scan';

export type GpioKeypadConfig = Extract<KeypadConfig, { driver: 'gpio-matrix' }>;

/** Test seams for the GPIO chip; scan timing runs on `ctx.clock` (tests pass a FakeClock and step time). */
export type GpioKeypadOptions = OpenGpioOptions;

/**
 * Idle: every row line low, columns watched for a falling edge (no polling while nobody types). On an edge it scans
 * (one row low at a time, columns read) every `scanMs` until all keys are released and settled, then idles again.
 */
export class GpioMatrixKeypad implements Keypad {
  readonly deviceClass = 'keypad';
  readonly driver = 'gpio-matrix';
  /** Scan period while keys are down: a quarter of the debounce time, 1-5 ms. */
  readonly scanMs: number;
  private readonly keymap: ResolvedKeymap;
  private readonly debouncer: MatrixDebouncer;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly keys = new Listeners<KeyEvent>();
  private readonly errors = new Listeners<DeviceError>();
  private rowLines: GpioLine[] = [];
  private colLines: GpioLine[] = [];
  private timer: TimerHandle | null = null;
  private scanning = false;
  private opened = false;
  private faulted = false;
  private readonly onEdge: GpioWatchCallback = (err) => {
    if (!this.opened || this.scanning) return;
    if (err) return this.fault(new DeviceError('EIO', `keypad: column interrupt failed: ${err.message}`, { cause: err }));
    this.startScanning();
  };

  constructor(
    private readonly config: GpioKeypadConfig,
    private readonly ctx: DriverContext,
    private readonly opts: GpioKeypadOptions = {},
  ) {
    this.keymap = resolveKeymap(config.keymap, config.rows.length, config.cols.length);
    const lines = [...config.rows, ...config.cols];
    const dup = lines.find((n, i) => lines.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`keypad: GPIO line ${dup} is listed twice in rows/cols`);
    this.debouncer = new MatrixDebouncer(this.keymap, {
      debounceMs: config.debounceMs,
      repeatDelayMs: config.repeatDelayMs,
      repeatIntervalMs: config.repeatIntervalMs,
      repeatKeys: resolveRepeatKeys(config.repeatKeys),
    });
    this.scanMs = Math.min(5, Math.max(1, Math.floor(config.debounceMs / 4)));
    this.clock = ctx.clock ?? systemClock;
    this.log = ctx.log.child({ ns: 'hal.keypad' });
  }

  /** Exports the lines (rows as outputs driven low, columns as inputs with edge interrupts). Rejects EDRIVER/ENODEV/EBUSY. */
  async open(): Promise<void> {
    if (this.opened) return;
    const chip = openGpioChip(this.config.gpio, this.ctx, this.opts);
    try {
      for (const n of this.config.rows) this.rowLines.push(chip.line(n, 'low'));
      for (const n of this.config.cols) this.colLines.push(chip.line(n, 'in', 'both'));
    } catch (err) {
      this.release();
      throw err instanceof DeviceError ? err : new DeviceError('EIO', `keypad: cannot export GPIO lines: ${(err as Error).message}`, { cause: err });
    }
    this.opened = true;
    this.faulted = false;
    this.debouncer.reset();
    for (const col of this.colLines) col.watch(this.onEdge);
    this.log.info({ rows: this.config.rows, cols: this.config.cols, gpio: this.config.gpio }, 'keypad ready');
    // A key already held at open shows as a low column now, not as an edge.
    if (this.anyColumnLow()) this.startScanning();
  }

  /** Stops scanning and releases the lines; no key events after it resolves. Safe to call twice. */
  async close(): Promise<void> {
    this.opened = false;
    this.stopTimer();
    this.scanning = false;
    this.release();
  }

  onKey(listener: (event: KeyEvent) => void): Unsubscribe {
    return this.keys.add(listener);
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  private startScanning(): void {
    this.scanning = true;
    this.setAllRows(1);
    this.schedule(0);
  }

  private schedule(ms: number): void {
    this.stopTimer();
    this.timer = this.clock.setTimeout(() => this.tick(), ms);
  }

  private tick(): void {
    this.timer = null;
    if (!this.opened) return;
    let events: KeyEvent[];
    try {
      events = this.debouncer.sample(this.scan(), this.clock.now());
      this.faulted = false;
    } catch (err) {
      this.fault(new DeviceError('EIO', `keypad: GPIO read failed: ${(err as Error).message}`, { cause: err }));
      this.schedule(this.scanMs);
      return;
    }
    for (const e of events) if (this.opened) this.keys.emit(e);
    if (!this.opened) return;
    if (this.debouncer.idle) {
      this.scanning = false;
      this.setAllRows(0);
      // A key pressed between the last scan and lowering the rows makes no edge we can trust: look once more.
      if (this.anyColumnLow()) this.startScanning();
      return;
    }
    this.schedule(this.scanMs);
  }

  /** One pass over the matrix; rows are left high. */
  private scan(): boolean[][] {
    return this.rowLines.map((row) => {
      row.writeSync(0);
      try {
        return this.colLines.map((col) => col.readSync() === 0);
      } finally {
        row.writeSync(1);
      }
    });
  }

  private setAllRows(value: 0 | 1): void {
    try {
      for (const row of this.rowLines) row.writeSync(value);
    } catch (err) {
      this.fault(new DeviceError('EIO', `keypad: GPIO write failed: ${(err as Error).message}`, { cause: err }));
    }
  }

  private anyColumnLow(): boolean {
    try {
      return this.colLines.some((col) => col.readSync() === 0);
    } catch {
      return false;
    }
  }

  /** Reports a fault once per run of failures. */
  private fault(err: DeviceError): void {
    if (this.faulted) return;
    this.faulted = true;
    this.log.warn({ code: err.code, msg: err.message }, 'keypad fault');
    this.errors.emit(err);
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private release(): void {
    for (const line of [...this.rowLines, ...this.colLines]) {
      try {
        line.unwatch();
        line.unexport();
      } catch (err) {
        this.log.debug({ err }, 'unexport failed');
      }
    }
    this.rowLines = [];
    this.colLines = [];
  }
}

/** Board factory for `keypad.driver = "gpio-matrix"`. Throws at once for a bad keymap or repeat key; no I/O until open(). */
export const createGpioKeypad = ((config: GpioKeypadConfig, ctx: DriverContext, opts: GpioKeypadOptions = {}) =>
  new GpioMatrixKeypad(config, ctx, opts)) satisfies DriverFactory<GpioKeypadConfig, GpioMatrixKeypad>;
