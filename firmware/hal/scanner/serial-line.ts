// Read-only serial line that survives unplugging: opens the port, forwards bytes, and reopens every reconnectMs.
import { existsSync } from 'node:fs';
import type { Logger } from '../../log';
import { DeviceError } from '../device';

/** The part of serialport's SerialPort this module uses (tests may hand in another implementation). */
export interface SerialPortLike {
  open(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  on(event: 'data', listener: (data: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(): this;
  readonly isOpen: boolean;
}

export type OpenSerialPort = (opts: { path: string; baudRate: number }) => SerialPortLike;

/** Clock the line uses; injected so tests can control reconnect timing. */
export interface SerialTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SerialLineOptions {
  path: string;
  baudRate: number;
  reconnectMs: number;
  log: Logger;
  onData(data: Buffer): void;
  /** Faults after open: unplug (EIO) and failed reopen attempts are not reported, only the unplug itself. */
  onFault(err: DeviceError): void;
  /** Called after the port came back (the decoder drops any partial frame). */
  onReconnect(): void;
  openPort?: OpenSerialPort;
  timers?: SerialTimers;
  /** Presence check for the device path (default fs.existsSync). */
  exists?: (path: string) => boolean;
}

/** Creates serialport's SerialPort (required here, not at module load, so sim boards never load the native binding). */
export const openSerialPort: OpenSerialPort = ({ path, baudRate }) => {
  const { SerialPort } = require('serialport') as typeof import('serialport');
  return new SerialPort({ path, baudRate, autoOpen: false });
};

/**
 * Besides serialport's own disconnect detection, the line checks every reconnectMs that the device path still
 * exists: a tty that was hung up before serialport's first read returns 0 bytes forever (serialport keeps
 * re-reading and never reports the disconnect), while the path of an unplugged USB adapter or a dead pty link
 * disappears.
 */
export class SerialLine {
  private port: SerialPortLike | undefined;
  private timer: unknown;
  private watchdog: unknown;
  private closing = false;
  private readonly timers: SerialTimers;
  private readonly openPort: OpenSerialPort;
  private readonly exists: (path: string) => boolean;

  constructor(private readonly opts: SerialLineOptions) {
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.openPort = opts.openPort ?? openSerialPort;
    this.exists = opts.exists ?? existsSync;
  }

  /** True while the port is open (false while waiting to reconnect). */
  get connected(): boolean {
    return this.port?.isOpen === true;
  }

  /**
   * Opens the port. Resolves once it is open; rejects with ENODEV (path missing), EDRIVER (serialport cannot
   * load) or EIO (any other open failure). No reconnect loop runs after a failed first open.
   */
  async open(): Promise<void> {
    this.closing = false;
    try {
      await this.tryOpen();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (err instanceof DeviceError) throw err;
      if (e.code === 'MODULE_NOT_FOUND') throw new DeviceError('EDRIVER', `serialport cannot load: ${e.message}`, { cause: err });
      const missing = /ENOENT|No such file/i.test(String(e.message));
      throw new DeviceError(missing ? 'ENODEV' : 'EIO', `cannot open ${this.opts.path}: ${e.message}`, { cause: err });
    }
  }

  /** Closes the port and stops reconnecting. Safe to call twice. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.stopWatchdog();
    const port = this.port;
    this.port = undefined;
    if (!port) return;
    port.removeAllListeners();
    port.on('error', () => undefined);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private tryOpen(): Promise<void> {
    const port = this.openPort({ path: this.opts.path, baudRate: this.opts.baudRate });
    return new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) return reject(err);
        if (this.closing) {
          port.close();
          return reject(new DeviceError('ECANCELED', 'closed while opening'));
        }
        this.port = port;
        port.on('data', (d) => this.opts.onData(d));
        port.on('error', (e) => this.opts.log.warn({ err: e.message }, 'serial port error'));
        port.on('close', (e) => this.lost(port, e));
        this.watch(port);
        resolve();
      });
    });
  }

  private watch(port: SerialPortLike): void {
    this.stopWatchdog();
    this.watchdog = this.timers.setTimeout(() => {
      this.watchdog = undefined;
      if (this.closing || this.port !== port) return;
      if (this.exists(this.opts.path)) return this.watch(port);
      this.lost(port, new Error('device path disappeared'));
    }, this.opts.reconnectMs);
  }

  private stopWatchdog(): void {
    if (this.watchdog !== undefined) this.timers.clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private lost(port: SerialPortLike, err?: Error): void {
    if (this.closing || this.port !== port) return;
    this.stopWatchdog();
    port.removeAllListeners();
    port.on('error', () => undefined);
    this.port = undefined;
    if (port.isOpen) port.close();
    this.opts.log.warn({ path: this.opts.path, err: err?.message }, 'serial port lost; reconnecting');
    this.opts.onFault(new DeviceError('EIO', `${this.opts.path} disconnected${err ? `: ${err.message}` : ''}`, { cause: err }));
    this.schedule();
  }

  private schedule(): void {
    if (this.closing) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.closing) return;
      this.tryOpen().then(
        () => {
          this.opts.log.info({ path: this.opts.path }, 'serial port reconnected');
          this.opts.onReconnect();
        },
        () => this.schedule(),
      );
    }, this.opts.reconnectMs);
  }
}
