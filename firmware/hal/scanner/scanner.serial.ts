// Serial (RS-232 / USB CDC) scan head driver: thin I/O over ScanFramer, reconnecting after an unplug.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { ScannerConfig } from '../../board/devices';
import type { Logger } from '../../log';
import { DeviceError } from '../device';
import type { DriverContext, DriverFactory } from '../driver-context';
import { SerialLine, type OpenSerialPort } from '../serial/serial-line';
import type { BarcodeScanner, ScanEvent, ScanReject } from './scanner';
import { ScanFramer } from './scanner-decode';
import { ScanOutput } from './scan-output';

export type SerialScannerConfig = Extract<ScannerConfig, { driver: 'serial' }>;

/** Test seam: a serialport replacement. Real boards pass nothing (time comes from `ctx.clock`). */
export interface SerialScannerDeps {
  openPort?: OpenSerialPort;
}

export class SerialScanner implements BarcodeScanner {
  readonly deviceClass = 'scanner';
  readonly driver = 'serial';
  private readonly out: ScanOutput;
  private readonly errors = new Listeners<DeviceError>();
  private readonly framer: ScanFramer;
  private readonly line: SerialLine;
  private readonly log: Logger;

  constructor(config: SerialScannerConfig, ctx: Pick<DriverContext, 'log' | 'clock'>, deps: SerialScannerDeps = {}) {
    this.log = ctx.log.child({ ns: 'hal.scanner' });
    this.out = new ScanOutput(this.log);
    this.framer = new ScanFramer({ prefix: config.prefix, suffix: config.suffix, symbologyIds: config.symbologyIds, maxLength: config.maxLength });
    this.line = new SerialLine({
      path: config.path,
      baudRate: config.baudRate,
      reconnectMs: config.reconnectMs,
      log: this.log,
      clock: ctx.clock,
      openPort: deps.openPort,
    });
    this.line.onData((d) => this.out.deliver(this.framer.push(d)));
    this.line.onDown((err) => {
      this.framer.reset();
      this.errors.emit(err);
    });
    this.line.onUp(() => this.framer.reset());
  }

  /** Opens the port; rejects with DeviceError ENODEV / EIO / EDRIVER. After an unplug the driver reconnects by itself. */
  open(): Promise<void> {
    this.framer.reset();
    return this.line.open();
  }

  /** Closes the port and stops reconnecting. Safe to call twice. */
  close(): Promise<void> {
    return this.line.close();
  }

  /** True while the port is open (false while waiting for the head to come back). */
  get connected(): boolean {
    return this.line.up;
  }

  onScan(listener: (scan: ScanEvent) => void): Unsubscribe {
    return this.out.onScan(listener);
  }

  onReject(listener: (reject: ScanReject) => void): Unsubscribe {
    return this.out.onReject(listener);
  }

  /** EIO when the head is unplugged (it keeps reconnecting). */
  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}

/** DriverFactory for `scanner.driver = "serial"`. Does no I/O; open() does. */
export const createSerialScanner: DriverFactory<SerialScannerConfig, SerialScanner> = (config, ctx: DriverContext) => new SerialScanner(config, ctx);
