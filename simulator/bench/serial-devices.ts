// Bench serial devices: one socat pty pair per serial device, the driver end at the board's path, an emulator on the other.
import { basename, dirname } from 'node:path';
import type { BoardConfig } from '../../firmware/board/schema';
import type { Logger } from '../../firmware/log';
import type { InitialKey } from '../../firmware/hal/pinpad/pinpad';
import type { PrinterStatus } from '../../firmware/hal/printer/printer';
import { createPtyPair, type PtyPair } from '../emulators/pty-pair';
import { startPinPadEmulator, type PinPadEmulator } from '../emulators/pinpad-emulator';
import type { SimControls } from '../../firmware/hal/sim-controls';
import { openSerialPeer } from '../emulators/serial-peer';
import { ScanHeadEmulator } from '../emulators/scan-head-emul';
import { MagstripeReaderEmulator } from '../emulators/magstripe-reader-emul';
import { EscposPrinterEmulator } from '../emulators/escpos-printer';
import { attachSerial } from '../emulators/escpos-printer-transports';
import type { SerialClass } from './bench-board';

export interface SerialDevicesOptions {
  log: Logger;
  /** Factory key of the emulated PIN pad. */
  pinpadKey: InitialKey;
  /** Where the emulated PIN pad keeps its KSN counter across restarts. */
  pinpadStateFile: string;
}

export interface SerialDevices {
  controls: Pick<SimControls, 'scan' | 'swipe' | 'pin' | 'receipts' | 'printer'>;
  printer?: EscposPrinterEmulator;
  pinpad?: PinPadEmulator;
  /** Closes the emulators, then stops socat (the links disappear). */
  close(): Promise<void>;
}

/** The driver end keeps the board's link name; the device end is `<name>.dev` beside it. */
function pairAt(path: string): Promise<PtyPair> {
  const name = basename(path);
  return createPtyPair(dirname(path), { names: [name, `${name}.dev`] });
}

/** What the emulated printer's own sensors say (its answer to DLE EOT, as a status). */
export function emulatedPrinterStatus(emu: EscposPrinterEmulator): PrinterStatus {
  const state = emu.coverOpen ? 'cover-open' : emu.paperOut ? 'paper-out' : 'online';
  return { state, paperNearEnd: emu.nearEnd };
}

/**
 * Starts a pty pair and an emulator for each serial device in `paths` (scan head: prefix + code + suffix; magstripe
 * reader: tracks + CR; ESC/POS printer answering DLE EOT; the framed-protocol PIN pad with real DUKPT). Rejects, with
 * everything started so far stopped again, when socat or a port fails.
 */
export async function startSerialDevices(board: BoardConfig, paths: Partial<Record<SerialClass, string>>, opts: SerialDevicesOptions): Promise<SerialDevices> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  const out: SerialDevices = { controls: {}, close };
  const log = opts.log.child({ ns: 'bench' });
  const pair = async (path: string) => {
    const p = await pairAt(path);
    closers.push(() => p.close());
    return p;
  };
  try {
    const { scanner, magstripe, pinpad, printer } = board.devices;
    if (scanner.driver === 'serial' && paths.scanner) {
      const p = await pair(paths.scanner);
      const head = new ScanHeadEmulator(await openSerialPeer(p.b, scanner.baudRate), { prefix: scanner.prefix, suffix: scanner.suffix });
      closers.push(() => head.close());
      out.controls.scan = (data) => head.scan(data);
    }
    if (magstripe.driver === 'serial' && paths.magstripe) {
      const p = await pair(paths.magstripe);
      const reader = new MagstripeReaderEmulator(await openSerialPeer(p.b, magstripe.baudRate));
      closers.push(() => reader.close());
      out.controls.swipe = (tracks) => reader.swipe(tracks);
    }
    if (printer.driver === 'serial' && paths.printer) {
      const p = await pair(paths.printer);
      const emu = new EscposPrinterEmulator({ columns: printer.columns });
      const peer = await attachSerial(emu, p.b, printer.baudRate);
      closers.push(() => peer.close());
      out.printer = emu;
      out.controls.receipts = () => emu.receipts();
      out.controls.printer = async (change) => {
        if (change.cover) emu.setCover(change.cover);
        if (change.paper) emu.setPaper(change.paper, change.lines);
        return emulatedPrinterStatus(emu);
      };
    }
    if (pinpad.driver === 'serial' && paths.pinpad) {
      const p = await pair(paths.pinpad);
      const pad = await startPinPadEmulator({
        path: p.b,
        key: opts.pinpadKey,
        log: opts.log,
        stateFile: opts.pinpadStateFile,
        baudRate: pinpad.baudRate,
        ackTimeoutMs: pinpad.ackTimeoutMs,
        retries: pinpad.retries,
        reconnectMs: pinpad.reconnectMs,
      });
      closers.push(() => pad.close());
      out.pinpad = pad;
      out.controls.pin = {
        waitForPrompt: (ms) => pad.waitForPrompt(ms),
        enterPin: (pin) => pad.enterPin(pin),
        bypass: () => pad.bypass(),
        cancel: () => pad.cancel(),
      };
    }
    log.info({ devices: Object.keys(paths) }, 'bench serial devices on pty pairs');
    return out;
  } catch (err) {
    await close();
    throw err;
  }
}
