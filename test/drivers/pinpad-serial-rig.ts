// Test rig: the serial PIN pad driver on one end of a real socat pty pair, the emulator on the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../firmware/common/clock';
import { silentLogger, type Logger } from '../../firmware/log';
import type { InitialKey } from '../../firmware/hal/pinpad/pinpad';
import { createSerialPinPad, type SerialPinPad, type SerialPinPadConfig } from '../../firmware/hal/pinpad/pinpad.serial';
import { startPinPadEmulator, type PinPadEmulator } from '../../simulator/emulators/pinpad-emulator';
import { createPtyPair, type PtyPair } from '../../simulator/emulators/pty-pair';

/** ANSI X9.24-1 test BDK, its test KSN and the IPEK they give. */
export const TEST_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
export const TEST_KEY: InitialKey = {
  scheme: 'tdes',
  initialKey: Buffer.from('6AC292FAA1315B4D858AB3A3D7D5933A', 'hex'),
  ksn: Buffer.from('FFFF9876543210E00000', 'hex'),
};

export interface PinPadRig {
  dir: string;
  pair: PtyPair;
  emulator: PinPadEmulator;
  pad: SerialPinPad;
  config: SerialPinPadConfig;
  /** Stops socat: both ends lose the line. */
  unplug(): Promise<void>;
  /** A new pty pair at the same link paths; driver and emulator reconnect on their own. */
  replug(): Promise<void>;
  teardown(): Promise<void>;
}

export interface RigOptions {
  ackTimeoutMs?: number;
  retries?: number;
  log?: Logger;
  /** Emulator key memory file name inside the rig folder. */
  stateFile?: string;
  /** The driver's clock (a FakeClock steps its ACK, reply and entry timeouts); the emulator keeps real time. */
  clock?: Clock;
}

/** Creates the pty pair, starts the emulator and builds (does not open) the driver. */
export async function startPinPadRig(opts: RigOptions = {}): Promise<PinPadRig> {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-pinpad-'));
  const log = opts.log ?? silentLogger;
  const config: SerialPinPadConfig = {
    driver: 'serial',
    path: '',
    baudRate: 115200,
    reconnectMs: 100,
    ackTimeoutMs: opts.ackTimeoutMs ?? 250,
    retries: opts.retries ?? 3,
  };
  let pair = await createPtyPair(dir);
  config.path = pair.a;
  const emulator = await startPinPadEmulator({
    path: pair.b,
    key: TEST_KEY,
    log,
    baudRate: config.baudRate,
    ackTimeoutMs: config.ackTimeoutMs,
    retries: config.retries,
    reconnectMs: 100,
    ...(opts.stateFile ? { stateFile: join(dir, opts.stateFile) } : {}),
  });
  const pad = createSerialPinPad(config, { log, clock: opts.clock });
  const rig: PinPadRig = {
    dir,
    pair,
    emulator,
    pad,
    config,
    unplug: () => pair.close(),
    replug: async () => {
      pair = await createPtyPair(dir);
      rig.pair = pair;
    },
    teardown: async () => {
      await pad.close();
      await emulator.close();
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
