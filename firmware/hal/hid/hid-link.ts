// HID connection that survives unplugging: opens through an OpenHid, forwards input reports, reopens every reconnectMs.
import { systemClock, type Clock, type TimerHandle } from '../../common/clock';
import type { Logger } from '../../log';
import { DeviceError } from '../device';
import type { HidDevice, OpenHid } from './hid-device';
import { hex4, hidOpenError, nodeHidOpener } from './node-hid-loader';

export interface HidLinkOptions {
  vendorId: number;
  productId: number;
  log: Logger;
  onReport(report: Buffer): void;
  /** The device went away (EIO); the link keeps trying to reopen it. */
  onFault(err: DeviceError): void;
  /** The device is back (decoders drop partial state). */
  onReconnect(): void;
  /** Defaults to node-hid, loaded on first open. */
  openHid?: OpenHid;
  reconnectMs?: number;
  /** Reopen timer; default the system clock. */
  clock?: Clock;
}

export const DEFAULT_HID_RECONNECT_MS = 1000;

export class HidLink {
  private device: HidDevice | undefined;
  private timer: TimerHandle | undefined;
  private closing = false;
  private readonly openHid: OpenHid;
  private readonly clock: Clock;

  constructor(private readonly opts: HidLinkOptions) {
    this.openHid = opts.openHid ?? nodeHidOpener();
    this.clock = opts.clock ?? systemClock;
  }

  get connected(): boolean {
    return this.device !== undefined;
  }

  /** Opens the device. Rejects with DeviceError ENODEV (not present) or EDRIVER (node-hid / libusb cannot load). */
  async open(): Promise<void> {
    this.closing = false;
    if (this.device) return;
    this.attach(this.tryOpen());
  }

  /** Closes the device and stops reopening it. Safe to call twice. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.release();
  }

  /** Sends an output report; throws ENOTOPEN while disconnected, EIO when the write fails. */
  write(report: number[] | Buffer): number {
    if (!this.device) throw new DeviceError('ENOTOPEN', 'HID device is not connected');
    try {
      return this.device.write(report);
    } catch (err) {
      throw new DeviceError('EIO', `HID write failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private tryOpen(): HidDevice {
    try {
      return this.openHid(this.opts.vendorId, this.opts.productId);
    } catch (err) {
      throw hidOpenError(err, this.opts.vendorId, this.opts.productId);
    }
  }

  private attach(device: HidDevice): void {
    this.device = device;
    device.on('data', (report: Buffer) => {
      if (this.device === device) this.opts.onReport(report);
    });
    device.on('error', (err: Error) => this.lost(device, err));
  }

  private release(): void {
    const device = this.device;
    this.device = undefined;
    if (!device) return;
    device.removeAllListeners('data');
    try {
      device.close();
    } catch {
      // already gone
    }
  }

  private lost(device: HidDevice, err: Error): void {
    if (this.device !== device || this.closing) return;
    this.release();
    const id = `${hex4(this.opts.vendorId)}:${hex4(this.opts.productId)}`;
    this.opts.log.warn({ device: id, err: err.message }, 'HID device lost; reconnecting');
    this.opts.onFault(new DeviceError('EIO', `HID device ${id} disconnected: ${err.message}`, { cause: err }));
    this.schedule();
  }

  private schedule(): void {
    if (this.closing) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.closing) return;
      let device: HidDevice;
      try {
        device = this.tryOpen();
      } catch (err) {
        if ((err as DeviceError).code === 'EDRIVER') this.opts.onFault(err as DeviceError);
        else return this.schedule();
        return;
      }
      this.attach(device);
      this.opts.log.info('HID device reconnected');
      this.opts.onReconnect();
    }, this.opts.reconnectMs ?? DEFAULT_HID_RECONNECT_MS);
  }
}
