// HID device emulator behind the HidDevice interface: tests inject its openHid in place of node-hid and drive reports.
import { EventEmitter } from 'node:events';
import type { HidDevice, OpenHid } from '../../firmware/hal/hid/hid-device';
import { encodeText } from '../../firmware/hal/hid/keyboard-encoder';
import type { LayoutName } from '../../firmware/hal/hid/keyboard-layouts';
import { encodeHidPosReports } from '../../firmware/hal/scanner/scanner-decode-hidpos';

/** One open handle, shaped like node-hid's HID: 'data' per input report, 'error' when the device goes away. */
class EmulatedHandle extends EventEmitter implements HidDevice {
  closed = false;
  constructor(private readonly owner: HidEmulator) {
    super();
  }
  write(values: number[] | Buffer): number {
    if (this.closed) throw new Error('Cannot write to hid device');
    const bytes = Buffer.from(values);
    this.owner.written.push(bytes);
    return bytes.length;
  }
  close(): void {
    this.closed = true;
  }
}

/** Same as the emulator's scan-head report encoder; re-exported for harnesses. */
export const hidPosReports = encodeHidPosReports;

export class HidEmulator {
  /** Output reports the driver wrote. */
  readonly written: Buffer[] = [];
  /** How many times the driver opened the device. */
  opens = 0;
  private present = true;
  private handle: EmulatedHandle | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly vendorId = 0x0c2e, readonly productId = 0x0b8f) {}

  /** Pass this as the driver's `openHid`. Throws like node-hid when the device is absent or the ids differ. */
  readonly openHid: OpenHid = (vendorId, productId) => {
    if (!this.present || vendorId !== this.vendorId || productId !== this.productId) {
      throw new Error(`cannot open device with vendor id 0x${vendorId.toString(16)} and product id 0x${productId.toString(16)}`);
    }
    this.opens++;
    this.handle = new EmulatedHandle(this);
    return this.handle;
  };

  get isOpen(): boolean {
    return this.handle !== undefined && !this.handle.closed;
  }

  /** Delivers input reports in order, each on its own turn of the event loop (as node-hid's read thread does). */
  sendReports(reports: Uint8Array[]): Promise<void> {
    this.queue = this.queue.then(async () => {
      for (const r of reports) {
        await new Promise((resolve) => setImmediate(resolve));
        const h = this.handle;
        if (h && !h.closed) h.emit('data', Buffer.from(r));
      }
    });
    return this.queue;
  }

  /** Types text as a keyboard wedge on `layout` (`\n` is Enter). */
  type(text: string, layout: LayoutName): Promise<void> {
    return this.sendReports(encodeText(text, layout));
  }

  /** The device is unplugged: the open handle reports a read error, and opening fails until replug(). */
  unplug(): void {
    this.present = false;
    const h = this.handle;
    this.handle = undefined;
    if (h && !h.closed) h.emit('error', new Error('could not read from HID device'));
  }

  replug(): void {
    this.present = true;
  }
}
