// PrinterHarness builders for the real serial, USB and TCP drivers, each wired to the ESC/POS printer emulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrinterHarness } from '../contract/harness';
import type { DriverContext } from '../../firmware/hal/driver-context';
import { silentLogger } from '../../firmware/log';
import { printerSchema } from '../../firmware/board/devices';
import { createSerialPrinter, type SerialPrinterConfig } from '../../firmware/hal/printer/printer.serial';
import { createTcpPrinter, type TcpPrinterConfig } from '../../firmware/hal/printer/printer.tcp';
import { createUsbPrinter, type UsbPrinterConfig } from '../../firmware/hal/printer/printer.usb';
import { EscposPrinterEmulator } from '../../simulator/emulators/escpos-printer';
import { startPtyPair, type PtyPair } from './escpos-printer-pty';
import { attachSerial, listenTcp, FileSink, type SerialPeer, type TcpPeer } from '../../simulator/emulators/escpos-printer-transports';

export interface HarnessOptions {
  columns?: number;
  chinese?: boolean;
  codepage?: 'cp437' | 'cp858';
  /** Paper runs out after this many printed rows. */
  paperRows?: number;
}

export interface EmulatedPrinterHarness extends PrinterHarness {
  emulator: EscposPrinterEmulator;
}

export interface SerialPrinterHarness extends EmulatedPrinterHarness {
  pty: PtyPair;
  /** Kills the socat pair: the driver sees the port drop. */
  unplug(): Promise<void>;
  /** Restarts socat at the same links and reattaches the emulator. */
  replug(): Promise<void>;
}

export function testContext(): DriverContext {
  return { log: silentLogger, dataDir: tmpdir(), peers: new Map() };
}

function common(opts: HarnessOptions) {
  return { columns: opts.columns ?? 32, chinese: opts.chinese ?? true, codepage: opts.codepage ?? 'cp437' };
}

/**
 * Serial driver on a socat pty pair with the emulator on the far end. Pass `pty` to share a pair started in
 * beforeAll (teardown then leaves socat running); otherwise the harness starts and kills its own.
 */
export async function makeSerialPrinterHarness(opts: HarnessOptions & { pty?: PtyPair; statusTimeoutMs?: number; reconnectMs?: number } = {}): Promise<SerialPrinterHarness> {
  const dir = opts.pty ? undefined : mkdtempSync(join(tmpdir(), 'posfw-printer-'));
  const pty = opts.pty ?? (await startPtyPair(dir!));
  const emulator = new EscposPrinterEmulator({ columns: opts.columns ?? 32, paperRows: opts.paperRows });
  let peer: SerialPeer | undefined = await attachSerial(emulator, pty.device);
  const config = printerSchema.parse({ driver: 'serial', path: pty.host, reconnectMs: opts.reconnectMs ?? 50, ...common(opts) }) as SerialPrinterConfig;
  const device = createSerialPrinter(config, testContext(), { statusTimeoutMs: opts.statusTimeoutMs ?? 300 });
  return {
    device,
    emulator,
    pty,
    twoWay: true,
    printedText: () => emulator.printedText(),
    setPaper: async (state) => emulator.setPaper(state),
    setCover: async (state) => emulator.setCover(state),
    unplug: async () => {
      await pty.stop();
      await peer?.closed;
      peer = undefined;
    },
    replug: async () => {
      await pty.start();
      peer = await attachSerial(emulator, pty.device);
    },
    teardown: async () => {
      await device.close();
      await peer?.close();
      if (dir) {
        await pty.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** TCP driver against the emulator's raw-port server on 127.0.0.1:0. One-way unless `twoWay`. */
export async function makeTcpPrinterHarness(opts: HarnessOptions & { twoWay?: boolean } = {}): Promise<EmulatedPrinterHarness & { peer: TcpPeer }> {
  const emulator = new EscposPrinterEmulator({ columns: opts.columns ?? 32, paperRows: opts.paperRows });
  const peer = await listenTcp(emulator);
  const config = printerSchema.parse({ driver: 'tcp', host: '127.0.0.1', port: peer.port, ...common(opts) }) as TcpPrinterConfig;
  const device = createTcpPrinter(config, testContext(), { twoWay: opts.twoWay ?? false, statusTimeoutMs: 300 });
  return {
    device,
    emulator,
    peer,
    twoWay: opts.twoWay ?? false,
    printedText: () => emulator.printedText(),
    setPaper: async (state) => emulator.setPaper(state),
    setCover: async (state) => emulator.setCover(state),
    teardown: async () => {
      await device.close();
      await peer.close();
    },
  };
}

/** USB driver writing a plain file that stands in for /dev/usb/lpN; the emulator reads what was written. */
export async function makeUsbPrinterHarness(opts: HarnessOptions = {}): Promise<EmulatedPrinterHarness & { sink: FileSink }> {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-printer-'));
  const emulator = new EscposPrinterEmulator({ columns: opts.columns ?? 32, paperRows: opts.paperRows });
  const sink = new FileSink(emulator, join(dir, 'lp0'));
  const config = printerSchema.parse({ driver: 'usb', path: sink.path, ...common(opts) }) as UsbPrinterConfig;
  const device = createUsbPrinter(config, testContext());
  return {
    device,
    emulator,
    sink,
    twoWay: false,
    printedText: () => {
      sink.sync();
      return emulator.printedText();
    },
    setPaper: async (state) => {
      sink.sync();
      emulator.setPaper(state);
    },
    setCover: async (state) => {
      sink.sync();
      emulator.setCover(state);
    },
    teardown: async () => {
      await device.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
