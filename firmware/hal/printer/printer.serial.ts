// Serial ESC/POS receipt printer (two-way): DLE EOT status, chunked status-checked printing, reopen after unplug.
import { systemClock, type Clock, type TimerHandle } from '../../common/clock';
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { PrinterConfig } from '../../board/devices';
import type { Logger } from '../../log';
import { SerialLine, type OpenSerialPort } from '../serial/serial-line';
import type { PrinterStatus, ReceiptPrinter } from './printer';
import type { ReceiptDoc } from './receipt-doc';
import { encodeReceiptChunks, type EncodeOptions } from './escpos';
import { ReplyReader, groupChunks, printChecked, queryStatus } from './escpos-link';
import { sameStatus } from './printer-status';

export type SerialPrinterConfig = Extract<PrinterConfig, { driver: 'serial' }>;

/** Driver tuning and a test seam; time itself (status timeouts, polls, reconnects) comes from `ctx.clock`. */
export interface SerialPrinterOptions {
  /** How long to wait for the DLE EOT replies (default 500 ms; printers answer in a few ms). */
  statusTimeoutMs?: number;
  /** Receipt lines sent between two status checks (default 4). */
  linesPerChunk?: number;
  /**
   * Status poll while idle and online (default: the config's reconnectMs; 0 turns it off). Polling is how paper
   * out / cover open between jobs reach onStatus. While the printer is not online it is polled every reconnectMs
   * regardless. (An unplugged line is noticed by the serial line itself.)
   */
  statusPollMs?: number;
  /** Test seam: a serialport replacement. */
  openPort?: OpenSerialPort;
}

const OFFLINE: PrinterStatus = { state: 'offline', paperNearEnd: false };

class SerialPrinter implements ReceiptPrinter {
  readonly deviceClass = 'printer' as const;
  readonly driver = 'serial';
  readonly columns: number;
  readonly supportsChinese: boolean;
  private readonly log: Logger;
  private readonly encodeOpts: EncodeOptions;
  private readonly clock: Clock;
  private readonly line: SerialLine;
  private readonly reader: ReplyReader;
  private readonly statusTimeoutMs: number;
  private readonly linesPerChunk: number;
  private readonly pollMs: number;
  private readonly errors = new Listeners<DeviceError>();
  private readonly statuses = new Listeners<PrinterStatus>();
  private phase: 'closed' | 'opening' | 'open' | 'disconnected' = 'closed';
  private last: PrinterStatus | undefined;
  private pollTimer: TimerHandle | undefined;
  private jobs: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly config: SerialPrinterConfig,
    ctx: DriverContext,
    opts: SerialPrinterOptions,
  ) {
    this.columns = config.columns;
    this.supportsChinese = config.chinese;
    this.encodeOpts = { columns: config.columns, codepage: config.codepage, chinese: config.chinese };
    this.log = ctx.log.child({ ns: 'hal.printer', driver: 'serial', path: config.path });
    this.clock = ctx.clock ?? systemClock;
    this.reader = new ReplyReader(this.clock);
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 500;
    this.linesPerChunk = opts.linesPerChunk ?? 4;
    this.pollMs = opts.statusPollMs ?? config.reconnectMs;
    this.line = new SerialLine({ path: config.path, baudRate: config.baudRate, reconnectMs: config.reconnectMs, log: this.log, clock: this.clock, openPort: opts.openPort });
    this.line.onData((d) => this.reader.push(d));
    this.line.onDown((err) => this.lost(err));
    this.line.onUp(() => this.back());
  }

  /** Opens the port and reads the status once. Rejects ENODEV (no such port), EIO or EDRIVER, naming the path. */
  async open(): Promise<void> {
    if (this.phase !== 'closed') return;
    this.phase = 'opening';
    try {
      await this.line.open();
    } catch (err) {
      if (this.phase === 'opening') this.phase = 'closed';
      throw err;
    }
    if (this.phase !== 'opening') return; // closed while opening
    this.phase = 'open';
    await this.refresh();
  }

  /** Closes the port; a job in flight or queued rejects with ECANCELED. Safe to call twice. */
  async close(): Promise<void> {
    this.phase = 'closed';
    this.stopPoll();
    this.reader.cancel(new DeviceError('ECANCELED', 'printer closed'));
    await this.line.close();
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
    if (this.phase !== 'open' || this.busy || this.pollTimer !== undefined) return;
    const online = this.last?.state === 'online';
    if (online && this.pollMs === 0) return;
    this.pollTimer = this.clock.setTimeout(
      () => {
        this.pollTimer = undefined;
        if (!this.busy) void this.refresh();
      },
      online ? this.pollMs : this.config.reconnectMs,
    );
  }

  private stopPoll(): void {
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** The line went away underneath (unplugged, pty peer gone): report; the line reopens it with back-off. */
  private lost(cause: DeviceError): void {
    if (this.phase !== 'open') return;
    this.phase = 'disconnected';
    this.stopPoll();
    const e = new DeviceError('EIO', `printer disconnected: ${cause.message}`, { cause });
    this.reader.cancel(e);
    this.log.warn({ err: e }, 'printer disconnected; will reopen');
    this.errors.emit(e);
    this.setStatus(OFFLINE);
  }

  /** The line is back: usable again once the status says so. */
  private back(): void {
    if (this.phase !== 'disconnected') return;
    this.phase = 'open';
    this.log.info('printer port reopened');
    void this.refresh();
  }

  /** Writes and waits until the bytes left for the OS. Rejects EIO (write failed, not connected) or ECANCELED (closed). */
  private write(bytes: Buffer): Promise<void> {
    if (this.phase !== 'open') {
      const code = this.phase === 'closed' ? 'ECANCELED' : 'EIO';
      return Promise.reject(new DeviceError(code, 'printer is not connected'));
    }
    return this.line.write(bytes);
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
