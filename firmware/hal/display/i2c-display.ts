// Shared lifecycle for displays on an I2C bus: open/init, serialised renders, re-init after a bus fault, close cancels.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { Logger } from '../../log';
import { i2cDeviceError, openI2cBus, type I2cBus, type OpenI2cOptions } from '../bus/i2c';
import { sleep, systemDelayUs, type Clock, type DelayUs } from '../../common/clock';
import type { Display, DisplayCaps, Screen } from './display';
import { checkScreen } from './screen-check';

/** Test seams shared by the chip display drivers. */
export interface I2cDisplayOptions extends OpenI2cOptions {
  /** Waits between command groups (datasheet delays). Default: on `ctx.clock` (see delayOn), else real time. */
  delayUs?: DelayUs;
}

/** Datasheet delays on the driver's clock: a clock that steps itself (FakeClock.delayUs) advances, any other waits on it. */
function delayOn(clock: Clock & { delayUs?: DelayUs }): DelayUs {
  return clock.delayUs ?? ((us) => sleep(clock, Math.ceil(us / 1000)).then(() => undefined));
}

/** A display behind one I2C address. Subclasses supply the chip's init and the drawing of one screen. */
export abstract class I2cDisplay implements Display {
  readonly deviceClass = 'display';
  abstract readonly driver: string;
  abstract readonly caps: DisplayCaps;
  protected readonly log: Logger;
  protected readonly delayUs: DelayUs;
  private bus: I2cBus | null = null;
  private opening: Promise<void> | null = null;
  private needsInit = true;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private generation = 0;
  private readonly errors = new Listeners<DeviceError>();

  protected constructor(
    protected readonly busNumber: number | 'emulated',
    protected readonly address: number,
    private readonly ctx: DriverContext,
    private readonly opts: I2cDisplayOptions,
  ) {
    this.log = ctx.log.child({ ns: 'hal.display' });
    this.delayUs = opts.delayUs ?? (ctx.clock ? delayOn(ctx.clock) : systemDelayUs);
  }

  /** Chip init after power-on or a bus fault; the shadow of what the panel shows must be forgotten here. */
  protected abstract init(write: (bytes: number[]) => Promise<void>): Promise<void>;
  /** Draws one (checked) screen, sending only what changed since the last successful draw. */
  protected abstract draw(screen: Screen, write: (bytes: number[]) => Promise<void>): Promise<void>;
  /** Chip-specific checks of a screen (e.g. a QR that does not fit); throws TypeError/RangeError. */
  protected prepare(screen: Screen): Screen {
    return screen;
  }

  open(): Promise<void> {
    if (this.opening) return this.opening;
    if (this.bus) return Promise.resolve();
    this.closed = false;
    const gen = ++this.generation;
    const opening = (async () => {
      const bus = await openI2cBus(this.busNumber, this.ctx, this.opts);
      if (gen !== this.generation) {
        await bus.close();
        throw new DeviceError('ECANCELED', `${this.driver}: closed while opening`);
      }
      this.bus = bus;
      this.needsInit = true;
      try {
        await this.run(gen, () => this.init(this.writer(gen)), false);
        this.needsInit = false;
        this.log.info({ driver: this.driver, bus: this.busNumber, address: this.address }, 'display ready');
      } catch (err) {
        this.bus = null;
        await bus.close().catch(() => undefined);
        throw err;
      }
    })().finally(() => {
      if (this.opening === opening) this.opening = null;
    });
    this.opening = opening;
    return opening;
  }

  render(screen: Screen): Promise<void> {
    checkScreen(screen);
    const prepared = this.prepare(screen);
    if (!this.bus || this.closed || this.opening) {
      return Promise.reject(new DeviceError('ENOTOPEN', `${this.driver}: render() before open() resolved or after close()`));
    }
    const gen = this.generation;
    const job = this.queue.then(() =>
      this.run(gen, async () => {
        if (this.needsInit) {
          await this.init(this.writer(gen));
          this.needsInit = false;
        }
        await this.draw(prepared, this.writer(gen));
      }),
    );
    this.queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    this.generation++;
    this.closed = true;
    const bus = this.bus;
    this.bus = null;
    await this.queue;
    if (bus) await bus.close().catch((err) => this.log.warn({ err }, 'closing the I2C bus failed'));
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  /** Runs one bus job; a fault marks the chip for re-init before the next render and (after open) goes to onError. */
  private async run(gen: number, job: () => Promise<void>, report = true): Promise<void> {
    if (gen !== this.generation) throw new DeviceError('ECANCELED', `${this.driver}: closed before the screen was drawn`);
    try {
      await job();
    } catch (err) {
      const dev = i2cDeviceError(err, this.driver, this.address);
      if (dev.code !== 'ECANCELED') {
        this.needsInit = true;
        this.log.warn({ code: dev.code, msg: dev.message }, 'display bus fault');
        if (report) this.errors.emit(dev);
      }
      throw dev;
    }
  }

  private writer(gen: number): (bytes: number[]) => Promise<void> {
    return async (bytes) => {
      const bus = this.bus;
      if (gen !== this.generation || !bus) throw new DeviceError('ECANCELED', `${this.driver}: closed while drawing`);
      const buf = Buffer.from(bytes);
      await bus.i2cWrite(this.address, buf.length, buf);
    };
  }
}
