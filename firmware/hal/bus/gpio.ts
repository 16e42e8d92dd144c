// GPIO seam: a line shaped like onoff's Gpio, and the chip opener for kernel (onoff, sysfs) or emulated GPIO.
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import { loadOptional, nodeRequire, type ModuleLoader } from './native-loader';

export type BinaryValue = 0 | 1;
/** onoff directions: `high`/`low` are outputs with an initial level (no glitch on export). */
export type GpioDirection = 'in' | 'out' | 'high' | 'low';
export type GpioEdge = 'none' | 'rising' | 'falling' | 'both';
export type GpioWatchCallback = (err: Error | null | undefined, value: BinaryValue) => void;

/** One exported GPIO line. onoff's `Gpio` satisfies it as is; so does the emulator's line. */
export interface GpioLine {
  read(): Promise<BinaryValue>;
  /** Synchronous read (a sysfs read; microseconds). The matrix scan uses it to stay deterministic. */
  readSync(): BinaryValue;
  write(value: BinaryValue): Promise<void>;
  writeSync(value: BinaryValue): void;
  /** Calls `callback` on each edge selected by `edge()` (inputs only). */
  watch(callback: GpioWatchCallback): void;
  /** Removes one watcher, or all when called without one. */
  unwatch(callback?: GpioWatchCallback): void;
  direction(): GpioDirection;
  edge(): GpioEdge;
  /** Stops watching and releases the line. */
  unexport(): void;
}

/** Exports lines by number, like `new Gpio(n, direction, edge)`. Throws DeviceError (ENODEV, EBUSY, EIO). */
export interface GpioChip {
  line(gpio: number, direction: GpioDirection, edge?: GpioEdge): GpioLine;
}

/** Name under which an emulated GPIO chip is found in `ctx.peers`. */
export const GPIO_EMULATED_PEER = 'gpio:emulated';

interface OnoffModule {
  Gpio: { new (gpio: number, direction: GpioDirection, edge?: GpioEdge): GpioLine; accessible: boolean };
}

export interface OpenGpioOptions {
  /** Module loader (tests inject a failing one). */
  load?: ModuleLoader;
}

/**
 * The GPIO chip a board names: `'kernel'` loads the optional `onoff` package now (sysfs GPIO), `'emulated'` takes
 * the emulator from `ctx.peers` (`gpio:emulated`). Throws TypeError for a bad `gpio`, DeviceError EDRIVER when onoff
 * is missing, ENODEV when there is no GPIO sysfs / no emulator.
 */
export function openGpioChip(gpio: 'kernel' | 'emulated', ctx: Pick<DriverContext, 'peers'>, opts: OpenGpioOptions = {}): GpioChip {
  if (gpio === 'emulated') {
    const peer = ctx.peers.get(GPIO_EMULATED_PEER) as Partial<GpioChip> | undefined;
    if (!peer || typeof peer.line !== 'function') {
      throw new DeviceError('ENODEV', `gpio: board says gpio "emulated" but no GPIO emulator is registered as "${GPIO_EMULATED_PEER}"`);
    }
    return peer as GpioChip;
  }
  if (gpio !== 'kernel') throw new TypeError(`openGpioChip: expected "kernel" or "emulated", got ${JSON.stringify(gpio)}`);
  const { Gpio } = loadOptional<OnoffModule>('onoff', 'gpio: cannot use kernel GPIO', opts.load ?? nodeRequire);
  if (!Gpio.accessible) throw new DeviceError('ENODEV', 'gpio: /sys/class/gpio is not accessible (no sysfs GPIO on this kernel, or no permission)');
  return {
    line(n, direction, edge = 'none') {
      try {
        return new Gpio(n, direction, edge);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'EBUSY') throw new DeviceError('EBUSY', `gpio: line ${n} is in use by another driver`, { cause: err });
        if (code === 'EINVAL' || code === 'ENOENT') throw new DeviceError('ENODEV', `gpio: line ${n} does not exist or cannot be ${direction}/${edge}`, { cause: err });
        throw new DeviceError('EIO', `gpio: cannot export line ${n}: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}
