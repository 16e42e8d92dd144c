// What every driver factory is handed at boot: a logger, a state folder, the clock and the emulated bus peers (if any).
import type { Clock } from '../common/clock';
import type { Logger } from '../log';

export interface DriverContext {
  /** Parent logger; drivers take `log.child({ ns: 'hal.<class>' })`. */
  log: Logger;
  /** Folder for driver state that must survive restarts (PIN pad KSN counter, ...). */
  dataDir: string;
  /**
   * Emulated peers by name, for boards whose config says `bus: "emulated"` / `gpio: "emulated"`:
   * `i2c:emulated` (an i2c-bus shaped emulator), `gpio:emulated` (an onoff shaped emulator).
   * The simulator and tests put them here; real boards leave it empty.
   */
  peers: Map<string, unknown>;
  /**
   * The terminal's clock: every driver timer (reconnect back-off, ACK and reply timeouts, debounce, swipe gaps,
   * status polls) runs on it. Default `systemClock`; tests hand in a FakeClock and step time instead of sleeping.
   */
  clock?: Clock;
  /**
   * Wraps secrets a driver keeps in its state folder under the device key (a simulated PIN pad's initial key):
   * one purpose key derived from the device key, the context bound (firmware/keys/key-wrap.ts). Absent in tests
   * and tools without a device key: such a driver keeps no secret on disk.
   */
  keyWrap?: SecretWrap;
}

/** Wrap / unwrap a secret bound to a context (a file's role); unwrap throws when it does not open. */
export interface SecretWrap {
  wrap(secret: Buffer, context: string): string;
  unwrap(wrapped: string, context: string): Buffer;
}

/** Builds a device from its board-config section. Must not do I/O: `open()` does. */
export type DriverFactory<C, D> = (config: C, ctx: DriverContext) => D;
