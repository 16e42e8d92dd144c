// What every driver factory is handed at boot: a logger, a state folder and the emulated bus peers (if any).
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
}

/** Builds a device from its board-config section. Must not do I/O: `open()` does. */
export type DriverFactory<C, D> = (config: C, ctx: DriverContext) => D;
