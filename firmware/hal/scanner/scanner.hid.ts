// USB HID scan head driver: HID POS reports (page 0x8C) or keyboard-wedge reports, through node-hid loaded lazily.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { ScannerConfig } from '../../board/devices';
import type { Logger } from '../../log';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { OpenHid } from '../hid/hid-device';
import { HidLink } from '../hid/hid-link';
import { KeyboardDecoder, WedgeLineAssembler } from '../hid/keyboard-decoder';
import type { BarcodeScanner, ScanEvent, ScanReject } from './scanner';
import { finishCode, type ScanResult } from './scanner-decode';
import { HidPosDecoder } from './scanner-decode-hidpos';
import { ScanOutput } from './scan-output';

export type HidScannerConfig = Extract<ScannerConfig, { driver: 'hid' }>;

/** Test seams: an OpenHid (the HID emulator) and the reconnect interval. Real boards pass nothing (node-hid). */
export interface HidDeps {
  openHid?: OpenHid;
  reconnectMs?: number;
}

/** Turns input reports into scan results for one mode; reset() drops partial state. */
interface ReportDecoder {
  push(report: Uint8Array): ScanResult[];
  reset(): void;
}

/** Keyboard wedge: Enter ends a code; undecodable keys make it garbled, too many characters make it overlong. */
export function keyboardScanDecoder(layout: HidScannerConfig['layout'], maxLength: number): ReportDecoder {
  const keys = new KeyboardDecoder(layout);
  const lines = new WedgeLineAssembler(maxLength);
  return {
    push(report) {
      return lines.push(keys.push(report)).map((line): ScanResult => {
        if (line.overflow) return { kind: 'reject', reject: { reason: 'overlong', detail: `code exceeds ${maxLength} characters` } };
        if (line.problems.length > 0) return { kind: 'reject', reject: { reason: 'garbled', detail: line.problems[0] as string } };
        return finishCode(line.text, 'none', maxLength);
      });
    },
    reset() {
      keys.reset();
      lines.reset();
    },
  };
}

export class HidScanner implements BarcodeScanner {
  readonly deviceClass = 'scanner';
  readonly driver = 'hid';
  private readonly out: ScanOutput;
  private readonly errors = new Listeners<DeviceError>();
  private readonly decoder: ReportDecoder;
  private readonly link: HidLink;
  private readonly log: Logger;

  constructor(config: HidScannerConfig, ctx: Pick<DriverContext, 'log' | 'clock'>, deps: HidDeps = {}) {
    this.log = ctx.log.child({ ns: 'hal.scanner' });
    this.out = new ScanOutput(this.log);
    this.decoder = config.mode === 'pos' ? new HidPosDecoder(config.maxLength) : keyboardScanDecoder(config.layout, config.maxLength);
    this.link = new HidLink({
      vendorId: config.vendorId,
      productId: config.productId,
      log: this.log,
      onReport: (r) => this.out.deliver(this.decoder.push(r)),
      onFault: (err) => {
        this.decoder.reset();
        this.errors.emit(err);
      },
      onReconnect: () => this.decoder.reset(),
      clock: ctx.clock,
      ...deps,
    });
  }

  /** Opens the device; rejects with DeviceError ENODEV (not plugged in) or EDRIVER (node-hid or libusb missing). */
  open(): Promise<void> {
    this.decoder.reset();
    return this.link.open();
  }

  /** Closes the device and stops reconnecting. Safe to call twice. */
  close(): Promise<void> {
    return this.link.close();
  }

  get connected(): boolean {
    return this.link.connected;
  }

  onScan(listener: (scan: ScanEvent) => void): Unsubscribe {
    return this.out.onScan(listener);
  }

  onReject(listener: (reject: ScanReject) => void): Unsubscribe {
    return this.out.onReject(listener);
  }

  /** EIO when the head is unplugged (it keeps reconnecting), EDRIVER if node-hid fails while reconnecting. */
  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}

/** DriverFactory for `scanner.driver = "hid"`; the optional third argument is the test seam. Does no I/O. */
export function createHidScanner(config: HidScannerConfig, ctx: DriverContext, deps: HidDeps = {}): HidScanner {
  return new HidScanner(config, ctx, deps);
}
