// The one reconnecting serial line under every serial driver: typed open errors, write, data/down/up events, reopen with back-off.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { systemClock, type Clock, type TimerHandle } from '../../common/clock';
import type { Logger } from '../../log';
import { DeviceError } from '../device';
import { identifyPath, openSerialPort, serialOpenError, type ModemLines, type OpenSerialPort, type SerialPortLike } from './serial-port';

export type { ModemLines, OpenSerialPort, SerialPortLike } from './serial-port';

export interface SerialLineOptions {
  /** Device path (`/dev/ttyUSB0`, a pty link). */
  path: string;
  baudRate: number;
  /** Wait before the first reopen after the port went away, and the period of the presence check while it is up. */
  reconnectMs: number;
  /** Reopen attempts back off (doubling) up to this wait. Default 8 × reconnectMs. */
  maxReconnectMs?: number;
  log: Logger;
  /** Timers for the presence check and the reopen back-off. Default the system clock. */
  clock?: Clock;
  /** Lower DTR when the port closes (termios HUPCL). Default true, as serialport does. */
  hupcl?: boolean;
  /**
   * Modem lines to set after every open (some readers want DTR high). Optional by nature: a port that refuses them
   * (a pty answers "Inappropriate ioctl for device") is logged at debug level and the line opens anyway.
   */
  modemLines?: ModemLines;
  /** Test seam: what creates the port (default serialport, required on first open). */
  openPort?: OpenSerialPort;
  /** Test seam: names the device node behind `path` (undefined when gone). Default: stat's dev:ino:rdev. */
  identify?: (path: string) => Promise<string | undefined>;
}

/** `idle` (never opened), `opening`, `up`, `down` (unplugged, reopening), `closed`. */
export type SerialLineState = 'idle' | 'opening' | 'up' | 'down' | 'closed';

type Settle = (err?: DeviceError) => void;

/**
 * One serial port at a time, kept open across unplugs. The line counts as unplugged when serialport reports the
 * port closed underneath, or when the path disappears or comes to name another device node (checked every
 * `reconnectMs`: a pty or a USB adapter can vanish without the open descriptor ever saying so, and a hung-up tty
 * read returns 0 bytes forever). Then it tells `onDown` once, fails the writes in flight with EIO, and reopens
 * after `reconnectMs`, doubling the wait after each failed attempt up to `maxReconnectMs`, until `close()`.
 * All time comes from the injected clock.
 */
export class SerialLine {
  private readonly clock: Clock;
  private readonly openPort: OpenSerialPort;
  private readonly identify: (path: string) => Promise<string | undefined>;
  private readonly maxReconnectMs: number;
  private readonly data = new Listeners<Buffer>();
  private readonly downs = new Listeners<DeviceError>();
  private readonly ups = new Listeners<void>();
  private readonly inFlight = new Set<Settle>();
  private current: SerialLineState = 'idle';
  private port: SerialPortLike | undefined;
  private identity: string | undefined;
  private generation = 0;
  private opening: Promise<void> | undefined;
  private watchTimer: TimerHandle | undefined;
  private reopenTimer: TimerHandle | undefined;
  private failures = 0;

  /** Throws TypeError / RangeError at once for a missing path or a bad baud rate / reconnect wait. */
  constructor(private readonly opts: SerialLineOptions) {
    if (typeof opts?.path !== 'string' || opts.path === '') throw new TypeError('SerialLine: expected a serial device path');
    if (!Number.isInteger(opts.baudRate) || opts.baudRate <= 0) throw new RangeError(`SerialLine: expected a positive integer baudRate, got ${opts.baudRate}`);
    if (!(opts.reconnectMs > 0)) throw new RangeError(`SerialLine: expected reconnectMs > 0, got ${opts.reconnectMs}`);
    this.maxReconnectMs = Math.max(opts.reconnectMs, opts.maxReconnectMs ?? opts.reconnectMs * 8);
    this.clock = opts.clock ?? systemClock;
    this.openPort = opts.openPort ?? openSerialPort;
    this.identify = opts.identify ?? identifyPath;
  }

  get path(): string {
    return this.opts.path;
  }

  get state(): SerialLineState {
    return this.current;
  }

  /** True while the port is open and usable (false before open, while reconnecting and after close). */
  get up(): boolean {
    return this.current === 'up' && this.port?.isOpen === true;
  }

  /**
   * Opens the port. Resolves once it is open (at once when it already is). Rejects with ENODEV (no such path),
   * EDRIVER (serialport cannot load), EIO (any other open failure; the message names the path) or ECANCELED when
   * `close()` came first. No reopen loop runs after a failed first open: that is the caller's to retry.
   */
  open(): Promise<void> {
    if (this.current === 'up' || this.current === 'down') return Promise.resolve();
    this.opening ??= this.firstOpen().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /**
   * Writes `bytes`; resolves once they left the process (serialport drain: tcdrain). Rejects ENOTOPEN before
   * open() or after close(), EIO while unplugged, when the write fails or when the line goes down before it
   * completes, ECANCELED (`canceled: true`) when close() is called first.
   */
  write(bytes: Uint8Array): Promise<void> {
    if (this.current !== 'up' && this.current !== 'down') return Promise.reject(new DeviceError('ENOTOPEN', `serial port ${this.opts.path} is not open`));
    const port = this.port;
    if (this.current === 'down' || !port) return Promise.reject(new DeviceError('EIO', `serial port ${this.opts.path} is disconnected (reconnecting)`));
    return new Promise<void>((resolve, reject) => {
      const settle: Settle = (err) => {
        if (!this.inFlight.delete(settle)) return;
        if (err) reject(err);
        else resolve();
      };
      this.inFlight.add(settle);
      const fail = (e: Error | null | undefined) => e && settle(new DeviceError('EIO', `write to ${this.opts.path} failed: ${e.message}`, { cause: e }));
      port.write(Buffer.from(bytes), fail);
      port.drain((e) => (e ? fail(e) : settle()));
    });
  }

  /**
   * Sets DTR / RTS. Resolves true when the port took them, false when it cannot (a pty, an adapter without the
   * lines): modem lines are optional. Rejects ENOTOPEN when not open, EIO while unplugged.
   */
  setModemLines(lines: ModemLines): Promise<boolean> {
    if (this.current !== 'up' && this.current !== 'down') return Promise.reject(new DeviceError('ENOTOPEN', `serial port ${this.opts.path} is not open`));
    if (!this.port || this.current === 'down') return Promise.reject(new DeviceError('EIO', `serial port ${this.opts.path} is disconnected (reconnecting)`));
    return this.applyModemLines(this.port, lines);
  }

  /** Bytes read from the port, in order. Listener errors are contained (they never reach the port). */
  onData(listener: (chunk: Buffer) => void): Unsubscribe {
    return this.data.add(listener);
  }

  /** The port went away after it was up (EIO naming the path and why); a reopen is scheduled. Once per outage. */
  onDown(listener: (err: DeviceError) => void): Unsubscribe {
    return this.downs.add(listener);
  }

  /** The port is open again after onDown (decoders drop partial frames, protocols resynchronise). */
  onUp(listener: () => void): Unsubscribe {
    return this.ups.add(listener);
  }

  /**
   * Closes the port and stops reconnecting. Writes in flight and a pending open() reject with ECANCELED
   * (`canceled: true`). Resolves once the port is closed. Safe to call twice; open() may be called again after it.
   */
  async close(): Promise<void> {
    this.generation++;
    this.current = 'closed';
    this.stopTimers();
    const err = new DeviceError('ECANCELED', `serial port ${this.opts.path} closed`);
    for (const settle of [...this.inFlight]) settle(err);
    const port = this.port;
    this.port = undefined;
    if (port) await closePort(port);
  }

  private async firstOpen(): Promise<void> {
    const gen = ++this.generation;
    this.current = 'opening';
    this.failures = 0;
    let port: SerialPortLike;
    let identity: string | undefined;
    try {
      port = await this.tryOpen();
      identity = await this.identify(this.opts.path);
    } catch (err) {
      if (gen === this.generation) this.current = 'idle';
      throw serialOpenError(this.opts.path, err);
    }
    if (gen !== this.generation) {
      await closePort(port);
      throw new DeviceError('ECANCELED', `serial port ${this.opts.path} closed while opening`);
    }
    await this.adopt(port, identity);
  }

  /** Creates and opens a port with our listeners attached; rejects with what serialport (or its loading) threw. */
  private tryOpen(): Promise<SerialPortLike> {
    const { path, baudRate } = this.opts;
    return new Promise<SerialPortLike>((resolve, reject) => {
      const port = this.openPort({ path, baudRate, hupcl: this.opts.hupcl ?? true });
      port.open((err) => {
        if (err) return reject(err);
        port.on('data', (chunk: Buffer) => {
          if (this.port === port) this.data.emit(chunk);
        });
        port.on('error', (e: Error) => this.opts.log.warn({ path, err: e.message }, 'serial port error'));
        port.on('close', (e?: Error | null) => this.lost(port, e?.message ?? 'port closed', e ?? undefined));
        resolve(port);
      });
    });
  }

  private async adopt(port: SerialPortLike, identity: string | undefined): Promise<void> {
    this.port = port;
    this.identity = identity;
    this.current = 'up';
    this.failures = 0;
    this.watch(port);
    if (this.opts.modemLines) await this.applyModemLines(port, this.opts.modemLines);
  }

  private applyModemLines(port: SerialPortLike, lines: ModemLines): Promise<boolean> {
    return new Promise((resolve) => {
      const refused = (why: string) => {
        this.opts.log.debug({ path: this.opts.path, lines, err: why }, 'modem lines not set (optional)');
        resolve(false);
      };
      if (!port.set) return refused('the port has no modem line control');
      try {
        port.set(lines, (err) => (err ? refused(err.message) : resolve(true)));
      } catch (err) {
        refused((err as Error).message);
      }
    });
  }

  /** Presence check: every reconnectMs, the path must still name the node that was opened. */
  private watch(port: SerialPortLike): void {
    this.watchTimer = this.clock.setTimeout(() => {
      this.watchTimer = undefined;
      void this.identify(this.opts.path).then((now) => {
        if (this.port !== port || this.current !== 'up') return;
        if (now === this.identity) return this.watch(port);
        this.lost(port, now ? 'the path now names another device' : 'device path disappeared');
      });
    }, this.opts.reconnectMs);
  }

  private lost(port: SerialPortLike, why: string, cause?: Error): void {
    if (this.port !== port || this.current !== 'up') return;
    this.port = undefined;
    this.current = 'down';
    this.stopTimers();
    void closePort(port);
    const err = new DeviceError('EIO', `${this.opts.path} disconnected: ${why}`, { cause });
    for (const settle of [...this.inFlight]) settle(err);
    this.opts.log.warn({ path: this.opts.path, err: why }, 'serial port lost; reconnecting');
    this.downs.emit(err);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    const gen = this.generation;
    const wait = Math.min(this.maxReconnectMs, this.opts.reconnectMs * 2 ** Math.min(this.failures, 30));
    this.reopenTimer = this.clock.setTimeout(() => {
      this.reopenTimer = undefined;
      this.tryOpen().then(
        async (port) => {
          const identity = await this.identify(this.opts.path);
          if (gen !== this.generation || this.current !== 'down') return closePort(port);
          await this.adopt(port, identity);
          if (gen !== this.generation) return; // closed while the modem lines were being set
          this.opts.log.info({ path: this.opts.path }, 'serial port reconnected');
          this.ups.emit();
        },
        (err: unknown) => {
          if (gen !== this.generation || this.current !== 'down') return;
          this.failures++;
          this.opts.log.debug({ path: this.opts.path, err: (err as Error)?.message, attempt: this.failures }, 'serial port reopen failed');
          this.scheduleReopen();
        },
      );
    }, wait);
  }

  private stopTimers(): void {
    if (this.watchTimer !== undefined) this.clock.clearTimeout(this.watchTimer);
    if (this.reopenTimer !== undefined) this.clock.clearTimeout(this.reopenTimer);
    this.watchTimer = this.reopenTimer = undefined;
  }
}

/** Detaches our listeners and closes the port if it is open; never rejects. */
function closePort(port: SerialPortLike): Promise<void> {
  port.removeAllListeners();
  port.on('error', () => undefined);
  if (!port.isOpen) return Promise.resolve();
  return new Promise<void>((resolve) => port.close(() => resolve()));
}
