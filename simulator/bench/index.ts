// The emulated bench: every device of a bench board emulated behind its real driver (pty pairs, I2C and GPIO emulators).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardConfig } from '../../firmware/board/schema';
import type { Logger } from '../../firmware/log';
import type { InitialKey } from '../../firmware/hal/pinpad/pinpad';
import { initialKeyFromHex } from '../../firmware/hal/pinpad/pinpad-requests';
import type { SimControls } from '../../firmware/hal/sim-controls';
import type { EscposPrinterEmulator } from '../emulators/escpos-printer';
import type { Hd44780Emulator } from '../emulators/hd44780-emul';
import type { KeypadMatrixEmulator } from '../emulators/keypad-matrix-emul';
import type { PinPadEmulator } from '../emulators/pinpad-emulator';
import { BENCH_DIR_ENV, resolveBenchBoard } from './bench-board';
import { createBusDevices } from './bus-devices';
import { startSerialDevices } from './serial-devices';

export { BENCH_DIR_ENV } from './bench-board';

/**
 * Factory key of the bench PIN pad: the ANSI X9.24-1 test IPEK and KSN (from the test BDK the embedded acquirer
 * simulator decrypts with), the same key board-configs/sim.json gives its simulated PIN pad.
 */
export const BENCH_PINPAD_KEY = Object.freeze({ scheme: 'tdes', initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' } as const);

export interface BenchOptions {
  /** The terminal's data folder; the emulated PIN pad keeps its KSN counter here. */
  dataDir: string;
  log: Logger;
  /** Bench folder for the serial links (relocates the board's paths); default POSFW_BENCH_DIR, else the board's paths. */
  dir?: string;
  /** Factory key of the emulated PIN pad (hex, like a board's `emulate` section). Default {@link BENCH_PINPAD_KEY}. */
  pinpadKey?: { scheme: InitialKey['scheme']; initialKey: string; ksn: string };
}

export interface Bench {
  /** Boot this file: the board, or its copy with the serial links moved into the bench folder. */
  boardFile: string;
  board: BoardConfig;
  /** For `boot({ peers })`: `i2c:emulated` and `gpio:emulated`. */
  peers: Map<string, unknown>;
  /** For the /sim routes: the emulated devices' far sides. */
  controls: SimControls;
  /** The emulators, for tests that look closer than /sim does. */
  emulators: { hd44780?: Hd44780Emulator; matrix?: KeypadMatrixEmulator; printer?: EscposPrinterEmulator; pinpad?: PinPadEmulator };
  /** Stops the emulators and socat. Call after the terminal stopped (its drivers would see the lines drop). */
  close(): Promise<void>;
}

/**
 * Starts the bench for `boardFile`: I2C / GPIO emulators for a display on bus "emulated" and a gpio-matrix keypad on
 * gpio "emulated", and a pty pair with an emulator for each serial scanner, magstripe reader, printer and PIN pad.
 * Call before boot(), then `boot({ boardFile: bench.boardFile, peers: bench.peers, ... })`.
 * Throws BoardConfigError for an invalid board and Error for a serial PIN pad with `emulate` (boot() would start a
 * second emulator on the same link) or a serial path under /dev; rejects when socat or a port fails.
 */
export function startBench(boardFile: string, opts: BenchOptions): Promise<Bench> {
  if (typeof boardFile !== 'string' || boardFile.length === 0) throw new TypeError('startBench(): expected a board file path');
  if (!opts || typeof opts.dataDir !== 'string' || !opts.log) throw new TypeError('startBench(): expected { dataDir, log }');
  return start(boardFile, opts);
}

async function start(boardFile: string, opts: BenchOptions): Promise<Bench> {
  const dir = opts.dir ?? (process.env[BENCH_DIR_ENV] || undefined);
  const resolved = resolveBenchBoard(boardFile, dir);
  const { board } = resolved;
  const pinpad = board.devices.pinpad;
  if (pinpad.driver === 'serial' && pinpad.emulate) {
    throw new Error(`${boardFile}: $.devices.pinpad.emulate: boot() runs that PIN pad emulator itself; on the bench leave "emulate" out (the bench runs its own pad, key from the bench options)`);
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const bus = createBusDevices(board);
  let serial;
  try {
    serial = await startSerialDevices(board, resolved.serialPaths, {
      log: opts.log,
      pinpadKey: initialKeyFromHex(opts.pinpadKey ?? BENCH_PINPAD_KEY),
      pinpadStateFile: join(opts.dataDir, 'bench-pinpad-emulator.json'),
    });
  } catch (err) {
    bus.close();
    throw err;
  }
  const s = serial;
  opts.log.child({ ns: 'bench' }).info({ board: board.board.name, boardFile: resolved.boardFile, peers: [...bus.peers.keys()] }, 'bench ready');
  return {
    boardFile: resolved.boardFile,
    board,
    peers: bus.peers,
    // Only what is emulated: boot() lays these over the sim devices' controls, so no undefined members.
    controls: Object.fromEntries(Object.entries({ ...s.controls, lcd: bus.lcd, keypad: bus.keypad }).filter(([, v]) => v !== undefined)) as SimControls,
    emulators: { hd44780: bus.hd44780, matrix: bus.matrix, printer: s.printer, pinpad: s.pinpad },
    async close() {
      await s.close();
      bus.close();
      if (resolved.generated) rmSync(resolved.boardFile, { force: true });
    },
  };
}
