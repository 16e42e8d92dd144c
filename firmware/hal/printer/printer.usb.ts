// USB printer-class ESC/POS printer through the kernel's /dev/usb/lpN file (one-way: status is always `unknown`).
//
// Why one-way: usblp reads block until the printer sends something and have no timeout, so a DLE EOT read would
// pin a libuv worker thread forever when the printer does not answer; O_NONBLOCK would make writes fail with
// EAGAIN instead. So the driver only writes, and status() answers `unknown` (never `online`).
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { constants, promises as fsp } from 'node:fs';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { PrinterConfig } from '../../board/devices';
import type { Logger } from '../../log';
import type { PrinterStatus, ReceiptPrinter } from './printer';
import type { ReceiptDoc } from './receipt-doc';
import { encodeReceipt, type EncodeOptions } from './escpos';

export type UsbPrinterConfig = Extract<PrinterConfig, { driver: 'usb' }>;

const UNKNOWN: PrinterStatus = { state: 'unknown', paperNearEnd: false };

function openError(path: string, err: unknown): DeviceError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') return new DeviceError('ENODEV', `printer: ${path} does not exist (is the printer plugged in?)`, { cause: err });
  if (code === 'EACCES' || code === 'EPERM') return new DeviceError('EIO', `printer: no permission to write ${path} (add the user to group lp)`, { cause: err });
  return new DeviceError('EIO', `printer: cannot open ${path}: ${String(err)}`, { cause: err });
}

class UsbPrinter implements ReceiptPrinter {
  readonly deviceClass = 'printer' as const;
  readonly driver = 'usb';
  readonly columns: number;
  readonly supportsChinese: boolean;
  private readonly log: Logger;
  private readonly encodeOpts: EncodeOptions;
  private readonly errors = new Listeners<DeviceError>();
  private readonly statuses = new Listeners<PrinterStatus>();
  private opened = false;
  private file: fsp.FileHandle | undefined;
  private jobs: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: UsbPrinterConfig,
    ctx: DriverContext,
  ) {
    this.columns = config.columns;
    this.supportsChinese = config.chinese;
    this.encodeOpts = { columns: config.columns, codepage: config.codepage, chinese: config.chinese };
    this.log = ctx.log.child({ ns: 'hal.printer', driver: 'usb', path: config.path });
  }

  /** Opens the device file for writing (never creates it). Rejects ENODEV when it is missing, EIO otherwise. */
  async open(): Promise<void> {
    if (this.opened) return;
    this.file = await this.openFile();
    this.opened = true;
  }

  async close(): Promise<void> {
    this.opened = false;
    const file = this.file;
    this.file = undefined;
    await file?.close().catch(() => undefined);
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  /** One-way transport: never fires. */
  onStatus(listener: (status: PrinterStatus) => void): Unsubscribe {
    return this.statuses.add(listener);
  }

  /** Always `unknown` (one-way). Rejects ENOTOPEN before open(). */
  async status(): Promise<PrinterStatus> {
    if (!this.opened) throw new DeviceError('ENOTOPEN', 'printer is not open');
    return UNKNOWN;
  }

  /**
   * Writes the whole job; resolves once the kernel took every byte (the printer may still be printing, and paper-out
   * cannot be seen). Throws TypeError/RangeError at once for a malformed document; rejects ENOTOPEN before open(),
   * EIO / ENODEV when the write fails (unplugged; the next print reopens the file), ECANCELED when closed meanwhile.
   */
  print(doc: ReceiptDoc): Promise<void> {
    const bytes = encodeReceipt(doc, this.encodeOpts);
    const queuedOpen = this.opened;
    const job = this.jobs.then(() => this.send(bytes, queuedOpen));
    this.jobs = job.catch(() => undefined);
    return job;
  }

  private async openFile(): Promise<fsp.FileHandle> {
    try {
      return await fsp.open(this.config.path, constants.O_WRONLY | constants.O_APPEND);
    } catch (err) {
      throw openError(this.config.path, err);
    }
  }

  private async send(bytes: Buffer, queuedOpen: boolean): Promise<void> {
    if (!this.opened) throw new DeviceError(queuedOpen ? 'ECANCELED' : 'ENOTOPEN', queuedOpen ? 'printer closed before the job started' : 'printer is not open');
    this.file ??= await this.openFile();
    const file = this.file;
    try {
      for (let off = 0, guard = 0; off < bytes.length && guard < bytes.length + 1; guard++) {
        const { bytesWritten } = await file.write(bytes, off, bytes.length - off);
        if (bytesWritten === 0) throw new Error('device accepted no bytes');
        off += bytesWritten;
      }
    } catch (err) {
      if (!this.opened) throw new DeviceError('ECANCELED', 'printer closed during the job', { cause: err });
      if (this.file === file) this.file = undefined;
      await file.close().catch(() => undefined);
      const e = new DeviceError('EIO', `printer write failed: ${String(err)}`, { cause: err });
      this.log.warn({ err: e }, 'print job failed; the device file will be reopened');
      this.errors.emit(e);
      throw e;
    }
    this.log.debug({ length: bytes.length }, 'receipt sent');
  }
}

/**
 * USB printer-class device (/dev/usb/lpN). Builds the driver without I/O; `open()` opens the file.
 * Throws TypeError for a config that is not a usb printer section.
 */
export function createUsbPrinter(config: UsbPrinterConfig, ctx: DriverContext): ReceiptPrinter {
  if (config?.driver !== 'usb' || typeof config.path !== 'string' || config.path === '') {
    throw new TypeError('createUsbPrinter: expected a printer config with driver "usb" and a path');
  }
  return new UsbPrinter(config, ctx);
}
