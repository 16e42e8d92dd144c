// I2C bus seam: the subset of i2c-bus's PromisifiedBus the chip drivers use, and the opener for real or emulated buses.
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import { loadOptional, nodeRequire, type ModuleLoader } from './native-loader';

/**
 * What a chip driver may do on an I2C bus. `i2c-bus`'s PromisifiedBus satisfies it as is; so does the emulator.
 * Errors are the bus's own (`code` EREMOTEIO/ENXIO for an address nobody acknowledges); drivers map them with
 * {@link i2cDeviceError}.
 */
export interface I2cBus {
  /** Plain I2C write of `length` bytes of `buffer` to `address` (one START ... STOP transaction). */
  i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }>;
  /** SMBus write byte: `command` then `byte`. */
  writeByte(address: number, command: number, byte: number): Promise<void>;
  /** SMBus send byte: one byte, no command. */
  sendByte(address: number, byte: number): Promise<void>;
  /** Releases the bus file descriptor (or the emulator handle). */
  close(): Promise<void>;
}

/** Name under which an emulated bus is found in `ctx.peers`. */
export const I2C_EMULATED_PEER = 'i2c:emulated';

/** Something that hands out bus handles; the I2C emulator implements it. */
export interface I2cBusProvider {
  openBus(): I2cBus;
}

interface I2cBusModule {
  openPromisified(busNumber: number): Promise<I2cBus>;
}

export interface OpenI2cOptions {
  /** Module loader (tests inject a failing one). */
  load?: ModuleLoader;
}

/**
 * Opens bus `bus`: a number opens `/dev/i2c-<bus>` through the optional `i2c-bus` package (loaded now, not at
 * startup); `'emulated'` takes the emulator from `ctx.peers` (`i2c:emulated`).
 * Throws TypeError synchronously for a bad `bus`. Rejects with DeviceError EDRIVER (i2c-bus missing),
 * ENODEV (no such bus, no emulator in peers) or EIO (permission or other open failure).
 */
export function openI2cBus(bus: number | 'emulated', ctx: Pick<DriverContext, 'peers'>, opts: OpenI2cOptions = {}): Promise<I2cBus> {
  if (bus !== 'emulated' && !(Number.isInteger(bus) && bus >= 0)) {
    throw new TypeError(`openI2cBus: expected a bus number >= 0 or "emulated", got ${JSON.stringify(bus)}`);
  }
  if (bus === 'emulated') {
    const peer = ctx.peers.get(I2C_EMULATED_PEER) as Partial<I2cBusProvider> | undefined;
    if (!peer || typeof peer.openBus !== 'function') {
      return Promise.reject(new DeviceError('ENODEV', `i2c: board says bus "emulated" but no I2C emulator is registered as "${I2C_EMULATED_PEER}"`));
    }
    return Promise.resolve(peer.openBus());
  }
  return openKernelBus(bus, opts.load ?? nodeRequire);
}

async function openKernelBus(bus: number, load: ModuleLoader): Promise<I2cBus> {
  const mod = loadOptional<I2cBusModule>('i2c-bus', `i2c: cannot open /dev/i2c-${bus}`, load);
  try {
    return await mod.openPromisified(bus);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new DeviceError('ENODEV', `i2c: /dev/i2c-${bus} does not exist (is the I2C bus enabled in the device tree?)`, { cause: err });
    if (code === 'EACCES') throw new DeviceError('EIO', `i2c: no permission to open /dev/i2c-${bus} (add the service user to the i2c group)`, { cause: err });
    throw new DeviceError('EIO', `i2c: cannot open /dev/i2c-${bus}: ${(err as Error).message}`, { cause: err });
  }
}

/** Bus error codes that mean "nobody acknowledged the address" on Linux i2c-dev adapters. */
const NACK_CODES = new Set(['EREMOTEIO', 'ENXIO']);

/** Maps an i2c-bus (or emulator) error to a DeviceError: NACK -> ENODEV, timeout -> ETIMEOUT, anything else -> EIO. */
export function i2cDeviceError(err: unknown, what: string, address: number): DeviceError {
  if (err instanceof DeviceError) return err;
  const code = (err as { code?: string }).code ?? '';
  const where = `${what} at I2C address 0x${address.toString(16).padStart(2, '0')}`;
  if (NACK_CODES.has(code)) return new DeviceError('ENODEV', `${where}: no acknowledge (${code}); check wiring and address`, { cause: err });
  if (code === 'ETIMEDOUT') return new DeviceError('ETIMEOUT', `${where}: bus timeout`, { cause: err });
  return new DeviceError('EIO', `${where}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
