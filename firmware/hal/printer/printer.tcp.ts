// Network ESC/POS printer on the raw port (9100, AppSocket/JetDirect): one connection per job, one-way by default.
//
// Each job opens a connection, sends, half-closes and waits for the printer to close its side: the printer only
// does that after it read everything, so a resolved print() means the printer has the whole job. Holding no
// connection between jobs leaves the printer free for other terminals. One-way (the default): status() is
// `unknown`. With `twoWay: true` (printers that answer DLE EOT on the raw port) status and paper-out work as on
// the serial driver.
import * as net from 'node:net';
import { systemClock, type Clock } from '../../common/clock';
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { PrinterConfig } from '../../board/devices';
import type { Logger } from '../../log';
import type { PrinterStatus, ReceiptPrinter } from './printer';
import type { ReceiptDoc } from './receipt-doc';
import { encodeReceiptChunks, type EncodeOptions } from './escpos';
import { ReplyReader, groupChunks, printChecked, queryStatus } from './escpos-link';
import { sameStatus } from './printer-status';

export type TcpPrinterConfig = Extract<PrinterConfig, { driver: 'tcp' }>;

export interface TcpPrinterOptions {
  /** Ask the printer for DLE EOT status over the connection (default false: one-way). */
  twoWay?: boolean;
  /** Connect timeout (default 3000 ms). */
  connectTimeoutMs?: number;
  /** Status reply timeout, two-way only (default 1000 ms). */
  statusTimeoutMs?: number;
  /** How long to wait for the printer to close after the job was sent (default 10000 ms). */
  closeTimeoutMs?: number;
  /** Lines between status checks, two-way only (default 4). */
  linesPerChunk?: number;
}

const UNKNOWN: PrinterStatus = { state: 'unknown', paperNearEnd: false };

/** One job's connection: write, two-way status replies, and an orderly finish. */
class Connection {
  readonly reader: ReplyReader;
  private failure: DeviceError | undefined;
  private closed: Promise<void>;

  constructor(
    readonly socket: net.Socket,
    clock: Clock,
  ) {
    this.reader = new ReplyReader(clock);
    socket.on('data', (d) => this.reader.push(d));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (err) => {
      this.failure = new DeviceError('EIO', `printer connection failed: ${err.message}`, { cause: err });
      this.reader.cancel(this.failure);
    });
    socket.once('close', () => this.reader.cancel(this.failure ?? new DeviceError('EIO', 'printer closed the connection')));
  }

  write(bytes: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.socket.destroyed) return Promise.reject(new DeviceError('EIO', 'printer closed the connection'));
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(this.failure ?? new DeviceError('EIO', `printer write failed: ${err.message}`, { cause: err })) : resolve()));
    });
  }

  /** Half-closes and waits for the printer to close; after `timeoutMs` the socket is dropped (the job was sent). */
  async finish(clock: Clock, timeoutMs: number): Promise<boolean> {
    this.socket.end();
    let timer: unknown;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = clock.setTimeout(() => resolve(true), timeoutMs);
    });
    const result = await Promise.race([this.closed.then(() => false), timedOut]);
    clock.clearTimeout(timer);
    this.socket.destroy();
    if (this.failure) throw this.failure;
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

class TcpPrinter implements ReceiptPrinter {
  readonly deviceClass = 'printer' as const;
  readonly driver = 'tcp';
  readonly columns: number;
  readonly supportsChinese: boolean;
  private readonly log: Logger;
  private readonly encodeOpts: EncodeOptions;
  private readonly clock: Clock;
  private readonly errors = new Listeners<DeviceError>();
  private readonly statuses = new Listeners<PrinterStatus>();
  private readonly live = new Set<Connection>();
  private opened = false;
  private last: PrinterStatus | undefined;
  private jobs: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: TcpPrinterConfig,
    ctx: DriverContext,
    private readonly opts: TcpPrinterOptions,
  ) {
    this.columns = config.columns;
    this.supportsChinese = config.chinese;
    this.encodeOpts = { columns: config.columns, codepage: config.codepage, chinese: config.chinese };
    this.log = ctx.log.child({ ns: 'hal.printer', driver: 'tcp', host: config.host, port: config.port });
    this.clock = ctx.clock ?? systemClock;
  }

  /** Connects once to check the printer is there, then hangs up. Rejects ENODEV (refused, no route), ETIMEOUT or EIO. */
  async open(): Promise<void> {
    if (this.opened) return;
    const conn = await this.connect();
    await conn.finish(this.clock, this.opts.closeTimeoutMs ?? 10000).catch(() => undefined);
    this.live.delete(conn);
    this.opened = true;
  }

  async close(): Promise<void> {
    this.opened = false;
    for (const c of this.live) c.destroy();
    this.live.clear();
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  onStatus(listener: (status: PrinterStatus) => void): Unsubscribe {
    return this.statuses.add(listener);
  }

  /**
   * One-way: `unknown`. Two-way: asks DLE EOT over a short connection; `offline` when the printer cannot be reached
   * or does not answer. Rejects ENOTOPEN before open(), EPROTO on garbage.
   */
  async status(): Promise<PrinterStatus> {
    if (!this.opened) throw new DeviceError('ENOTOPEN', 'printer is not open');
    if (!this.opts.twoWay) return UNKNOWN;
    let conn: Connection | undefined;
    try {
      conn = await this.connect();
      const s = await this.ask(conn);
      await conn.finish(this.clock, this.opts.closeTimeoutMs ?? 10000);
      return s;
    } catch (err) {
      if (err instanceof DeviceError && err.code !== 'EPROTO') return this.setStatus({ state: 'offline', paperNearEnd: false });
      throw err;
    } finally {
      if (conn) this.live.delete(conn);
      conn?.destroy();
    }
  }

  /**
   * Sends the job over a fresh connection and resolves when the printer closed it (or after closeTimeoutMs).
   * Two-way: checked in chunks like the serial driver (EPAPER / ECOVER). Throws TypeError/RangeError at once for a
   * malformed document; rejects ENOTOPEN before open(), ENODEV / ETIMEOUT / EIO on network failure, ECANCELED on close().
   */
  print(doc: ReceiptDoc): Promise<void> {
    const chunks = encodeReceiptChunks(doc, this.encodeOpts);
    const queuedOpen = this.opened;
    const job = this.jobs.then(() => this.send(chunks, queuedOpen));
    this.jobs = job.catch(() => undefined);
    return job;
  }

  private async send(chunks: Buffer[], queuedOpen: boolean): Promise<void> {
    if (!this.opened) throw new DeviceError(queuedOpen ? 'ECANCELED' : 'ENOTOPEN', queuedOpen ? 'printer closed before the job started' : 'printer is not open');
    const conn = await this.connect();
    try {
      if (this.opts.twoWay) {
        const grouped = groupChunks(chunks, this.opts.linesPerChunk ?? 4);
        await printChecked(grouped, { write: (b) => conn.write(b), status: () => this.ask(conn) });
      } else {
        await conn.write(Buffer.concat(chunks));
      }
      const timedOut = await conn.finish(this.clock, this.opts.closeTimeoutMs ?? 10000);
      if (timedOut) this.log.warn('printer did not close the connection after the job; dropped it');
    } catch (err) {
      const e = !this.opened ? new DeviceError('ECANCELED', 'printer closed during the job', { cause: err }) : err;
      this.log.warn({ err: e }, 'print job stopped');
      throw e;
    } finally {
      this.live.delete(conn);
      conn.destroy();
    }
  }

  private async ask(conn: Connection): Promise<PrinterStatus> {
    return this.setStatus(await queryStatus(conn.reader, (b) => conn.write(b), this.opts.statusTimeoutMs ?? 1000));
  }

  private setStatus(s: PrinterStatus): PrinterStatus {
    if (!sameStatus(this.last, s)) this.statuses.emit(s);
    this.last = s;
    return s;
  }

  private connect(): Promise<Connection> {
    const { host, port } = this.config;
    const timeoutMs = this.opts.connectTimeoutMs ?? 3000;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = this.clock.setTimeout(() => {
        socket.destroy();
        reject(new DeviceError('ETIMEOUT', `printer ${host}:${port} did not accept a connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        this.clock.clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        const conn = new Connection(socket, this.clock);
        this.live.add(conn);
        resolve(conn);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        this.clock.clearTimeout(timer);
        const code = err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENOTFOUND' ? 'ENODEV' : 'EIO';
        reject(new DeviceError(code, `printer ${host}:${port}: ${err.message}`, { cause: err }));
      });
    });
  }
}

/**
 * Network printer on a raw TCP port. Builds the driver without I/O; `open()` checks the printer answers.
 * Throws TypeError for a config that is not a tcp printer section.
 */
export function createTcpPrinter(config: TcpPrinterConfig, ctx: DriverContext, opts: TcpPrinterOptions = {}): ReceiptPrinter {
  if (config?.driver !== 'tcp' || typeof config.host !== 'string' || !Number.isInteger(config.port)) {
    throw new TypeError('createTcpPrinter: expected a printer config with driver "tcp", a host and a port');
  }
  return new TcpPrinter(config, ctx, opts);
}
