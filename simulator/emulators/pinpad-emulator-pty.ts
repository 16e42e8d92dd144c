// For `posfw sim`: puts the PIN pad emulator behind a pty whose driver end is the board's configured serial path.
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../firmware/log';
import type { SerialPinPadConfig } from '../../firmware/hal/pinpad/pinpad.serial';
import { initialKeyFromHex } from '../../firmware/hal/pinpad/pinpad-requests';
import { createPtyPair, type PtyPair } from './pty-pair';
import { startPinPadEmulator, type PinPadEmulator } from './pinpad-emulator';

export interface EmulatedSerialPinPad {
  /** The cardholder's side (enter a PIN, bypass, cancel, read the pad screen) and line faults. */
  emulator: PinPadEmulator;
  pair: PtyPair;
  /** Stops the emulator, then socat. */
  close(): Promise<void>;
}

/**
 * When a board's serial PIN pad has `emulate`, call this before opening the driver: it creates a
 * socat pty pair whose first link *is* `config.path` (so the driver opens the path from the board
 * file unchanged) and runs the emulator on the second link (`<path>.pad`), with the `emulate` key.
 * The key and KSN counter persist in `stateFile` when given (e.g. `<dataDir>/serial-pinpad-emulator.json`).
 * Throws TypeError when the config has no `emulate` section.
 */
export async function startEmulatedSerialPinPad(config: SerialPinPadConfig, log: Logger, stateFile?: string): Promise<EmulatedSerialPinPad> {
  if (!config.emulate) throw new TypeError(`startEmulatedSerialPinPad(): the serial PIN pad on ${config.path} has no "emulate" section`);
  const name = basename(config.path);
  const pair = await createPtyPair(dirname(config.path), { names: [name, `${name}.pad`] });
  try {
    const emulator = await startPinPadEmulator({
      path: pair.b,
      key: initialKeyFromHex(config.emulate),
      log,
      baudRate: config.baudRate,
      ackTimeoutMs: config.ackTimeoutMs,
      retries: config.retries,
      reconnectMs: config.reconnectMs,
      ...(stateFile ? { stateFile } : {}),
    });
    return {
      emulator,
      pair,
      close: async () => {
        await emulator.close();
        await pair.close();
      },
    };
  } catch (err) {
    await pair.close();
    throw err;
  }
}

/** Default place for the emulator's key memory inside a driver data folder. */
export const emulatorStateFile = (dataDir: string): string => join(dataDir, 'serial-pinpad-emulator.json');
