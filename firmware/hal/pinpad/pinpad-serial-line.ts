// A serial port that reopens itself after an unplug: thin I/O under the PIN pad driver and its emulator.
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { DeviceError } from '../device';
import type { Logger } from '../../log';
import { realTimers, type LinkTimers } from './pinpad-link';

export interface SerialLineOptions {
  path: string;
  baudRate: number;
  /** Wait before each reopen attempt after the port went away. */
  reconnectMs: number;
  log: Logger;
  timers?: LinkTimers;
  onData(chunk: Buffer): void;
  /** The port went away (unplugged, pty closed); a reopen is scheduled. */
  onDown(err: DeviceError): void;
  /** The port is back after onDown. */
  onUp(): void;
}

/** Which device node a path names now (undefined when it is gone). */
async function identify(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    return `${st.dev}:${st.ino}:${st.rdev}`;
  } catch {
    return undefined;
  }
}

/**
 * Owns one SerialPort at a time. `open()` opens it (ENODEV when the path cannot be opened).
 * The line counts as unplugged when the port closes underneath, or when the path disappears or
 * comes to name another device node (checked every `reconnectMs`: a pty, or a USB adapter, can
 * vanish without the open descriptor ever reporting it). Then it reopens every `reconnectMs`
 * until that succeeds or `close()`.
 */
export class SerialLine {
  private port: SerialPort | undefined;
  private closing = false;
  private reopenTimer: unknown;
  private watchTimer: unknown;
  private identity: string | undefined;
  private readonly timers: LinkTimers;

  constructor(private readonly opts: SerialLineOptions) {
    this.timers = opts.timers ?? realTimers;
  }

  /** True while a port is open. */
  get up(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<void> {
    this.closing = false;
    const port = await this.openPort();
    const identity = await identify(this.opts.path);
    if (this.closing) {
      port.close();
      throw new DeviceError('ECANCELED', `serial port ${this.opts.path} closed while opening`);
    }
    this.adopt(port, identity);
  }

  /** Writes bytes if the port is up; returns false (bytes dropped) when it is not. */
  write(bytes: Buffer): boolean {
    const port = this.port;
    if (!port?.isOpen) return false;
    port.write(bytes, (err) => {
      if (err) this.opts.log.warn({ code: (err as NodeJS.ErrnoException).code, err: err.message }, 'serial write failed');
    });
    return true;
  }

  /** Resolves once written bytes left the process (tcdrain); immediately when the port is down. */
  drain(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.drain(() => resolve()));
  }

  /** Closes the port and stops reconnecting. Safe to call twice. */
  async close(): Promise<void> {
    this.closing = true;
    this.timers.clearTimeout(this.reopenTimer);
    this.timers.clearTimeout(this.watchTimer);
    this.reopenTimer = this.watchTimer = undefined;
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private openPort(): Promise<SerialPort> {
    const { path, baudRate } = this.opts;
    return new Promise<SerialPort>((resolve, reject) => {
      const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
      port.open((err) => {
        if (err) {
          reject(new DeviceError('ENODEV', `cannot open serial port ${path}: ${err.message}`, { cause: err }));
          return;
        }
        port.on('data', (chunk: Buffer) => {
          if (this.port === port) this.opts.onData(chunk);
        });
        port.on('error', (e) => this.opts.log.warn({ err: e.message }, 'serial port error'));
        port.on('close', (e: (Error & { disconnected?: boolean }) | null) => this.onClose(port, e));
        resolve(port);
      });
    });
  }

  private adopt(port: SerialPort, identity: string | undefined): void {
    this.port = port;
    this.identity = identity;
    this.watch(port);
  }

  private watch(port: SerialPort): void {
    this.watchTimer = this.timers.setTimeout(() => {
      this.watchTimer = undefined;
      void identify(this.opts.path).then((now) => {
        if (this.closing || this.port !== port) return;
        if (now === this.identity) return this.watch(port);
        this.goDown(port, now ? 'the path now names another device' : 'the device path is gone');
        port.close();
      });
    }, this.opts.reconnectMs);
  }

  private onClose(port: SerialPort, err: (Error & { disconnected?: boolean }) | null): void {
    this.goDown(port, err?.message ?? 'closed', err ?? undefined);
  }

  private goDown(port: SerialPort, why: string, cause?: Error): void {
    if (this.closing || this.port !== port) return;
    this.port = undefined;
    this.timers.clearTimeout(this.watchTimer);
    this.watchTimer = undefined;
    this.opts.log.warn({ path: this.opts.path, err: why }, 'serial port went away; reconnecting');
    this.opts.onDown(new DeviceError('EIO', `serial port ${this.opts.path} went away (${why})`, { cause }));
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closing) return;
    this.reopenTimer = this.timers.setTimeout(() => {
      this.reopenTimer = undefined;
      Promise.all([this.openPort(), identify(this.opts.path)]).then(
        ([port, identity]) => {
          if (this.closing) {
            port.close();
            return;
          }
          this.adopt(port, identity);
          this.opts.log.info({ path: this.opts.path }, 'serial port reconnected');
          this.opts.onUp();
        },
        () => this.scheduleReopen(),
      );
    }, this.opts.reconnectMs);
  }
}
