// USB HID magstripe reader driver: keyboard-wedge keystrokes or MagTek-layout raw reports, through node-hid loaded lazily.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import type { MagstripeConfig } from '../../board/devices';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { OpenHid } from '../hid/hid-device';
import { HidLink } from '../hid/hid-link';
import { KeyboardDecoder, WedgeLineAssembler } from '../hid/keyboard-decoder';
import type { MagstripeReader, SwipeEvent } from './magstripe';
import { MAX_SWIPE_LINE } from './magstripe-decode';
import { MagtekReportAssembler } from './magstripe-decode-magtek';
import { SwipeOutput } from './swipe-output';

export type HidMagstripeConfig = Extract<MagstripeConfig, { driver: 'hid' }>;

/** Test seams: an OpenHid (the HID emulator), reconnect interval and the track 1/track 2 gap. Time comes from `ctx.clock`. */
export interface HidMagstripeDeps {
  openHid?: OpenHid;
  reconnectMs?: number;
  swipeGapMs?: number;
}

export class HidMagstripe implements MagstripeReader {
  readonly deviceClass = 'magstripe';
  readonly driver = 'hid';
  private readonly errors = new Listeners<DeviceError>();
  private readonly output: SwipeOutput;
  private readonly link: HidLink;
  private readonly onReport: (report: Buffer) => void;
  private readonly resetDecoder: () => void;

  constructor(config: HidMagstripeConfig, ctx: Pick<DriverContext, 'log' | 'clock'>, deps: HidMagstripeDeps = {}) {
    const log = ctx.log.child({ ns: 'hal.magstripe' });
    this.output = new SwipeOutput(log, { clock: ctx.clock, gapMs: deps.swipeGapMs });
    if (config.mode === 'raw') {
      const reports = new MagtekReportAssembler();
      this.onReport = (r) => reports.push(r).forEach((e) => this.output.event(e));
      this.resetDecoder = () => reports.reset();
    } else {
      const keys = new KeyboardDecoder(config.layout);
      const lines = new WedgeLineAssembler(MAX_SWIPE_LINE);
      this.onReport = (r) => {
        for (const line of lines.push(keys.push(r))) {
          if (line.overflow) this.output.event({ kind: 'bad-read', reason: `swipe data longer than ${MAX_SWIPE_LINE} characters` });
          else if (line.problems.length > 0) this.output.event({ kind: 'bad-read', reason: `undecodable keystrokes: ${line.problems[0]}` });
          else this.output.line(line.text);
        }
      };
      this.resetDecoder = () => {
        keys.reset();
        lines.reset();
      };
    }
    const reset = () => {
      this.resetDecoder();
      this.output.reset();
    };
    this.link = new HidLink({
      vendorId: config.vendorId,
      productId: config.productId,
      log,
      onReport: (r) => this.onReport(r),
      onFault: (err) => {
        reset();
        this.errors.emit(err);
      },
      onReconnect: reset,
      openHid: deps.openHid,
      reconnectMs: deps.reconnectMs,
      clock: ctx.clock,
    });
  }

  /** Opens the reader; rejects with DeviceError ENODEV (not plugged in) or EDRIVER (node-hid or libusb missing). */
  open(): Promise<void> {
    this.resetDecoder();
    this.output.reset();
    return this.link.open();
  }

  /** Closes the reader and stops reconnecting. Safe to call twice. */
  async close(): Promise<void> {
    this.output.reset();
    await this.link.close();
  }

  get connected(): boolean {
    return this.link.connected;
  }

  onSwipe(listener: (swipe: SwipeEvent) => void): Unsubscribe {
    return this.output.swipes.add(listener);
  }

  /** EIO when the reader is unplugged (it keeps reconnecting), EDRIVER if node-hid fails while reconnecting. */
  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }
}

/** DriverFactory for `magstripe.driver = "hid"`; the optional third argument is the test seam. Does no I/O. */
export function createHidMagstripe(config: HidMagstripeConfig, ctx: DriverContext, deps: HidMagstripeDeps = {}): HidMagstripe {
  return new HidMagstripe(config, ctx, deps);
}
