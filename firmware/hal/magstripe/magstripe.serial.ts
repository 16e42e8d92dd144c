// Serial magstripe reader driver: CR-terminated track lines over a reconnecting serial port, parsed by parseSwipe.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { MagstripeConfig } from '../../board/devices';
import { DeviceError } from '../device';
import type { DriverContext, DriverFactory } from '../driver-context';
import { SerialLine, type OpenSerialPort } from '../serial/serial-line';
import type { MagstripeReader, SwipeEvent } from './magstripe';
import { SwipeLineFramer } from './magstripe-decode';
import { SwipeOutput } from './swipe-output';

export type SerialMagstripeConfig = Extract<MagstripeConfig, { driver: 'serial' }>;

/** Test seams: a serialport replacement and the track 1/track 2 gap. Time (reconnect, the gap) comes from `ctx.clock`. */
export interface SerialMagstripeDeps {
  openPort?: OpenSerialPort;
  swipeGapMs?: number;
}

export class SerialMagstripe implements MagstripeReader {
  readonly deviceClass = 'magstripe';
  readonly driver = 'serial';
  private readonly errors = new Listeners<DeviceError>();
  private readonly framer = new SwipeLineFramer();
  private readonly output: SwipeOutput;
  private readonly line: SerialLine;

  constructor(config: SerialMagstripeConfig, ctx: Pick<DriverContext, 'log' | 'clock'>, deps: SerialMagstripeDeps = {}) {
    const log = ctx.log.child({ ns: 'hal.magstripe' });
    this.output = new SwipeOutput(log, { clock: ctx.clock, gapMs: deps.swipeGapMs });
    const reset = () => {
      this.framer.reset();
      this.output.reset();
    };
    this.line = new SerialLine({ path: config.path, baudRate: config.baudRate, reconnectMs: config.reconnectMs, log, clock: ctx.clock, openPort: deps.openPort });
    this.line.onData((d) => {
      for (const r of this.framer.push(d)) {
        if (r.kind === 'line') this.output.line(r.line);
        else this.output.event(r.swipe);
      }
    });
    this.line.onDown((err) => {
      reset();
      this.errors.emit(err);
    });
    this.line.onUp(reset);
  }

  /** Opens the port; rejects with DeviceError ENODEV / EIO / EDRIVER. After an unplug the driver reconnects by itself. */
  open(): Promise<void> {
    this.framer.reset();
    this.output.reset();
    return this.line.open();
  }

  /** Closes the port and stops reconnecting; a half-received swipe is dropped. Safe to call twice. */
  async close(): Promise<void> {
    this.output.reset();
    await this.line.close();
  }

  /** True while the port is open (false while waiting for the reader to come back). */
  get connected(): boolean {
    return this.line.up;
  }

  onSwipe(listener: (swipe: SwipeEvent) => void): Unsubscribe {
    return this.output.swipes.add(listener);
  }

  /** EIO when the reader is unplugged (it keeps reconnecting). */
  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}

/** DriverFactory for `magstripe.driver = "serial"`. Does no I/O; open() does. */
export const createSerialMagstripe: DriverFactory<SerialMagstripeConfig, SerialMagstripe> = (config, ctx) => new SerialMagstripe(config, ctx);
