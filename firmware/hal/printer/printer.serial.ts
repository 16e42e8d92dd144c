// Serial ESC/POS receipt printer (two-way): DLE EOT status, chunked status-checked printing, reopen after unplug.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { SerialPort } from 'serialport';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { PrinterConfig } from '../../board/devices';
import type { Logger } from '../../log';
import type { PrinterStatus, ReceiptPrinter } from './printer';
import type { ReceiptDoc } from './receipt-doc';
import { encodeReceiptChunks, type EncodeOptions } from './escpos';
import { ReplyReader, groupChunks, printChecked, queryStatus, realTimers, type Clock } from './escpos-link';
import { sameStatus } from './printer-status';

export type SerialPrinterConfig = Extract<PrinterConfig, { driver: 'serial' }>;

export interface SerialPrinterOptions {
  /** How long to wait for the DLE EOT replies (default 500 ms; printers answer in a few ms). */
  statusTimeoutMs?: number;
  /** Receipt lines sent between two status checks (default 4). */
  linesPerChunk?: number;
  /**
   * Status poll while idle and online (default: the config's reconnectMs; 0 turns it off). Polling is how paper
   * out / cover open between jobs reach onStatus, and how a dropped line is noticed on ptys and adapters whose
   * reads do not fail on unplug. While the printer is not online it is polled every reconnectMs regardless.
   */
  statusPollMs?: number;
  timers?: Clock;
}

const OFFLINE: PrinterStatus = { state: 'offline', paperNearEnd: false };

function loadSerialPort(): typeof SerialPort {
  try {
    return (require('serialport') as typeof import('serialport')).SerialPort;
  } catch (err) {
    throw new DeviceError('EDRIVER', `printer: cannot load serialport (${String(err)})`, { cause: err });
  }
}

class SerialPrinter implements ReceiptPrinter {
  readonly deviceClass = 'printer' as const;
  readonly driver = 'serial';
  readonly columns: number;
  readonly supportsChinese: boolean;
  private readonly log: Logger;
  private readonly encodeOpts: EncodeOptions;
  private readonly timers: Clock;
  private readonly reader: ReplyReader;
  private readonly statusTimeoutMs: number;
  private readonly linesPerChunk: number;
  private readonly pollMs: number;
  private readonly errors = new Listeners<DeviceError>();
  private readonly statuses = new Listeners<PrinterStatus>();
  private phase: 'closed' | 'opening' | 'open' | 'disconnected' = 'closed';
  private port: SerialPort | undefined;
  private last: PrinterStatus | undefined;
  private timer: unknown;
  private jobs: Promise<unknown> = Promise.resolve();
  private busy = false;
  private readonly writes = new Set<(err: DeviceError) => void>();

  constructor(
    private readonly config: SerialPrinterConfig,
    ctx: DriverContext,
    opts: SerialPrinterOptions,
  ) {
    this.columns = config.columns;
    this.supportsChinese = config.chinese;
    this.encodeOpts = { columns: config.columns, codepage: config.codepage, chinese: config.chinese };
    this.log = ctx.log.child({ ns: 'hal.printer', driver: 'serial', path: config.path });
    this.timers = opts.timers ?? realTimers;
    this.reader = new ReplyReader(this.timers);
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 500;
    this.linesPerChunk = opts.linesPerChunk ?? 4;
    this.pollMs = opts.statusPollMs ?? config.reconnectMs;
  }

  /** Opens the port and reads the status once. Rejects ENODEV (no such port), EIO or EDRIVER. */
  async open(): Promise<void> {
    if (this.phase !== 'closed') return;
    this.phase = 'opening';
    try {
      await this.connect();
    } catch (err) {
      this.phase = 'closed';
      throw err;
    }
    if (this.phase !== 'opening') return; // closed while opening
    this.phase = 'open';
    await this.refresh();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.phase = 'closed';
    this.port = undefined;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort(new DeviceError('ECANCELED', 'printer closed'));
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  onStatus(listener: (status: PrinterStatus) => void): Unsubscribe {
    return this.statuses.add(listener);
  }

  /** Asks the printer (DLE EOT). No answer in time, or unplugged: `offline`. Rejects ENOTOPEN when closed, EPROTO on garbage. */
  async status(): Promise<PrinterStatus> {
    if (this.phase === 'closed' || this.phase === 'opening') throw new DeviceError('ENOTOPEN', 'printer is not open');
    if (this.phase === 'disconnected') return OFFLINE;
    try {
      return await this.ask();
    } catch (err) {
      if (err instanceof DeviceError && (err.code === 'ETIMEOUT' || err.code === 'EIO')) return this.setStatus(OFFLINE);
      throw err;
    }
  }

  /**
   * Prints in chunks of `linesPerChunk` lines, checking status before and after each. Jobs run one after another.
   * Throws TypeError/RangeError at once for a malformed document; rejects EPAPER / ECOVER when the printer stops,
   * EIO when offline or unplugged, ETIMEOUT when it stops answering, ECANCELED when closed, ENOTOPEN before open().
   */
  print(doc: ReceiptDoc): Promise<void> {
    const chunks = groupChunks(encodeReceiptChunks(doc, this.encodeOpts), this.linesPerChunk);
    const queuedOpen = this.phase === 'open' || this.phase === 'disconnected';
    const job = this.jobs.then(() => this.runJob(chunks, queuedOpen));
    this.jobs = job.catch(() => undefined);
    return job;
  }

  private async runJob(chunks: Buffer[], queuedOpen: boolean): Promise<void> {
    if (this.phase === 'closed' && queuedOpen) throw new DeviceError('ECANCELED', 'printer closed before the job started');
    if (this.phase === 'closed' || this.phase === 'opening') throw new DeviceError('ENOTOPEN', 'printer is not open');
    if (this.phase === 'disconnected') throw new DeviceError('EIO', 'printer is not connected (unplugged?)');
    this.busy = true;
    try {
      await printChecked(chunks, { write: (b) => this.write(b), status: () => this.ask() });
      this.log.debug({ chunks: chunks.length }, 'receipt printed');
    } catch (err) {
      this.log.warn({ err }, 'print job stopped');
      throw err;
    } finally {
      this.busy = false;
      this.schedulePoll();
    }
  }

  private async ask(): Promise<PrinterStatus> {
    return this.setStatus(await queryStatus(this.reader, (b) => this.write(b), this.statusTimeoutMs));
  }

  private setStatus(s: PrinterStatus): PrinterStatus {
    const changed = !sameStatus(this.last, s);
    this.last = s;
    if (changed) {
      this.log.info({ status: s }, 'printer status');
      this.statuses.emit(s);
    }
    return s;
  }

  /** Reads the status outside a job, then schedules the next poll. */
  private async refresh(): Promise<void> {
    try {
      await this.status();
    } catch (err) {
      this.log.debug({ err }, 'status poll failed');
    }
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.phase !== 'open' || this.busy || this.timer !== undefined) return;
    const online = this.last?.state === 'online';
    if (online && this.pollMs === 0) return;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        if (!this.busy) void this.refresh();
      },
      online ? this.pollMs : this.config.reconnectMs,
    );
  }

  private connect(): Promise<void> {
    const Port = loadSerialPort();
    return new Promise((resolve, reject) => {
      const port = new Port({ path: this.config.path, baudRate: this.config.baudRate, autoOpen: false });
      port.open((err) => {
        if (err) {
          const code = /ENOENT|No such file/i.test(err.message) ? 'ENODEV' : 'EIO';
          reject(new DeviceError(code, `printer: cannot open ${this.config.path}: ${err.message}`, { cause: err }));
          return;
        }
        if (this.phase === 'closed') {
          port.close();
          reject(new DeviceError('ECANCELED', 'printer closed while opening'));
          return;
        }
        this.port = port;
        port.on('data', (d: Buffer) => this.reader.push(d));
        port.on('error', (e: Error) => this.log.debug({ err: e }, 'port error'));
        port.on('close', (e: Error | null) => this.lost(port, e));
        resolve();
      });
    });
  }

  /** The port went away underneath (unplugged, pty peer gone): report, then reopen every reconnectMs. */
  private lost(port: SerialPort, err: Error | null): void {
    if (port !== this.port || this.phase === 'closed') return;
    this.port = undefined;
    this.phase = 'disconnected';
    const e = new DeviceError('EIO', `printer disconnected: ${err?.message ?? 'port closed'}`, { cause: err ?? undefined });
    this.abort(e);
    this.log.warn({ err: e }, 'printer disconnected; will reopen');
    this.errors.emit(e);
    this.setStatus(OFFLINE);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.phase !== 'disconnected') return;
      this.connect().then(
        () => {
          if (this.phase !== 'disconnected') return;
          this.phase = 'open';
          this.log.info('printer port reopened');
          void this.refresh();
        },
        (err: unknown) => {
          this.log.debug({ err }, 'reopen failed');
          if (this.phase === 'disconnected') this.scheduleReconnect();
        },
      );
    }, this.config.reconnectMs);
  }

  private abort(err: DeviceError): void {
    this.reader.cancel(err);
    for (const reject of [...this.writes]) reject(err);
    this.writes.clear();
  }

  /** Writes and waits until the bytes left for the OS. Rejects EIO (write failed, not connected) or the abort error. */
  private write(bytes: Buffer): Promise<void> {
    const port = this.port;
    if (!port || this.phase !== 'open') {
      const code = this.phase === 'closed' ? 'ECANCELED' : 'EIO';
      return Promise.reject(new DeviceError(code, 'printer is not connected'));
    }
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: DeviceError) => {
        if (!this.writes.delete(settle)) return;
        if (err) reject(err);
        else resolve();
      };
      this.writes.add(settle);
      const fail = (e: Error | null | undefined) => e && settle(new DeviceError('EIO', `printer write failed: ${e.message}`, { cause: e }));
      port.write(bytes, fail);
      port.drain((e) => (e ? fail(e) : settle()));
    });
  }
}

/**
 * Serial (RS-232 / USB-serial) ESC/POS printer. Builds the driver without I/O; `open()` opens the port.
 * Throws TypeError for a config that is not a serial printer section.
 */
export function createSerialPrinter(config: SerialPrinterConfig, ctx: DriverContext, opts: SerialPrinterOptions = {}): ReceiptPrinter {
  if (config?.driver !== 'serial' || typeof config.path !== 'string' || config.path === '') {
    throw new TypeError('createSerialPrinter: expected a printer config with driver "serial" and a path');
  }
  return new SerialPrinter(config, ctx, opts);
}
