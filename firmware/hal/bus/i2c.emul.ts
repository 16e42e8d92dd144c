// User-space I2C bus emulator (i2c-bus shaped): peripherals attach by address, absent addresses NACK like i2c-dev.
import type { I2cBus, I2cBusProvider } from './i2c';
import { systemClock, type Clock } from '../../common/clock';

/** When each byte of a write reached the peripheral, in microseconds on the emulator's clock. */
export interface I2cTiming {
  /** Time the address byte was acknowledged; data byte `i` is complete at `startUs + (i + 1) * byteUs`. */
  startUs: number;
  /** Time per byte (9 SCL clocks: 8 bits + ACK). */
  byteUs: number;
}

/** A chip on the emulated bus (PCF8574 backpack, SSD1306 ...). */
export interface I2cPeripheral {
  /** Receives the data bytes of one write transaction (address byte excluded). */
  write(data: Buffer, timing: I2cTiming): void;
}

/** One write as seen on the wire, for exact-byte tests. */
export interface I2cTransaction {
  address: number;
  data: Buffer;
}

/** The emulator's clock: a write resolves once its bytes are on the wire (`advance` for a manual clock). */
export type I2cClock = Clock & { advance?(ms: number): Promise<void> };

export interface I2cEmulatorOptions {
  /** Clock (FakeClock in tests, so writes take bus time without sleeping); default the system timers. */
  clock?: I2cClock;
  /** SCL frequency; default 100 kHz (standard mode, the PCF8574 maximum). */
  busHz?: number;
  /** Keep at most this many transactions in the log (oldest dropped). Default 10000. */
  logLimit?: number;
}

/** The error i2c-dev gives when no device acknowledges: errno 121, EREMOTEIO. */
export function nackError(address: number, syscall: string): Error {
  const err = new Error(`EREMOTEIO, Remote I/O error (no ACK from 0x${address.toString(16)})`) as Error & { code: string; errno: number; syscall: string };
  err.code = 'EREMOTEIO';
  err.errno = 121;
  err.syscall = syscall;
  return err;
}

/** The emulated bus. Register it as `ctx.peers.set('i2c:emulated', bus)`; drivers get handles from `openBus()`. */
export class I2cEmulator implements I2cBusProvider {
  private readonly devices = new Map<number, I2cPeripheral>();
  private readonly log: I2cTransaction[] = [];
  private readonly injected: Error[] = [];
  private busTimeUs = 0;
  private readonly byteUs: number;
  private readonly clock: I2cClock;
  private readonly logLimit: number;

  constructor(opts: I2cEmulatorOptions = {}) {
    const hz = opts.busHz ?? 100_000;
    if (!(hz > 0)) throw new RangeError(`I2cEmulator: expected busHz > 0, got ${hz}`);
    this.byteUs = (9 * 1e6) / hz;
    this.clock = opts.clock ?? systemClock;
    this.logLimit = opts.logLimit ?? 10_000;
  }

  /** Attaches a peripheral at a 7-bit address. Throws if the address is taken or out of range. */
  attach(address: number, device: I2cPeripheral): void {
    if (!Number.isInteger(address) || address < 0x03 || address > 0x77) throw new RangeError(`attach: expected a 7-bit address 0x03-0x77, got ${address}`);
    if (this.devices.has(address)) throw new Error(`attach: address 0x${address.toString(16)} already has a device`);
    this.devices.set(address, device);
  }

  /** Unplugs the device at `address`: later writes to it NACK. */
  detach(address: number): void {
    this.devices.delete(address);
  }

  /** The next write (to any address) fails with this error (fault injection), once. */
  failNext(err: Error): void {
    this.injected.push(err);
  }

  /** Writes seen so far, oldest first. */
  transactions(address?: number): I2cTransaction[] {
    return this.log.filter((t) => address === undefined || t.address === address).map((t) => ({ address: t.address, data: Buffer.from(t.data) }));
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** A handle shaped like i2c-bus's PromisifiedBus; closing it does not remove the emulator. */
  openBus(): I2cBus {
    let open = true;
    const guard = (syscall: string) => {
      if (!open) {
        const err = new Error(`EBADF, bad file descriptor (${syscall} after close)`) as Error & { code: string };
        err.code = 'EBADF';
        throw err;
      }
    };
    return {
      i2cWrite: async (address, length, buffer) => {
        guard('i2cWrite');
        if (!Number.isInteger(length) || length < 0 || length > buffer.length) throw new RangeError(`i2cWrite: length ${length} exceeds the buffer (${buffer.length} bytes)`);
        const data = Buffer.from(buffer.subarray(0, length));
        await this.transfer(address, data, 'i2cWrite');
        return { bytesWritten: length, buffer };
      },
      writeByte: async (address, command, byte) => {
        guard('writeByte');
        await this.transfer(address, Buffer.from([command & 0xff, byte & 0xff]), 'writeByte');
      },
      sendByte: async (address, byte) => {
        guard('sendByte');
        await this.transfer(address, Buffer.from([byte & 0xff]), 'sendByte');
      },
      close: async () => {
        open = false;
      },
    };
  }

  /** Clocks the bytes out and resolves when the last one is on the wire, like the i2c-dev ioctl returning. */
  private async transfer(address: number, data: Buffer, syscall: string): Promise<void> {
    const injected = this.injected.shift();
    if (injected) throw injected;
    const device = this.devices.get(address);
    // The address byte is clocked out (and NACKed) even when nobody is there.
    const nowUs = this.clock.now() * 1000;
    const start = Math.max(nowUs, this.busTimeUs) + this.byteUs;
    this.busTimeUs = device ? start + data.length * this.byteUs : start;
    if (device) {
      this.log.push({ address, data });
      if (this.log.length > this.logLimit) this.log.shift();
      device.write(data, { startUs: start, byteUs: this.byteUs });
    }
    await this.elapse((this.busTimeUs - nowUs) / 1000);
    if (!device) throw nackError(address, syscall);
  }

  private elapse(ms: number): Promise<void> {
    if (this.clock.advance) return this.clock.advance(ms);
    return new Promise((resolve) => this.clock.setTimeout(resolve, Math.ceil(ms)));
  }
}
