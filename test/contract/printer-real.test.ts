// Real printer drivers (serial over socat ptys, TCP raw port, USB lp file) against the ESC/POS printer emulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../firmware/common/clock';
import { DeviceError } from '../../firmware/hal/device';
import { renderText } from '../../firmware/hal/printer/receipt-doc';
import type { PrinterStatus } from '../../firmware/hal/printer/printer';
import { printerSchema } from '../../firmware/board/devices';
import { createSerialPrinter, type SerialPrinterConfig } from '../../firmware/hal/printer/printer.serial';
import { createTcpPrinter, type TcpPrinterConfig } from '../../firmware/hal/printer/printer.tcp';
import { createUsbPrinter, type UsbPrinterConfig } from '../../firmware/hal/printer/printer.usb';
import { saleReceiptEn, saleReceiptZh } from '../fixtures/receipts/sale-receipt';
import { startPtyPair, type PtyPair } from '../emulators/escpos-printer-pty';
import { makeSerialPrinterHarness, makeTcpPrinterHarness, makeUsbPrinterHarness, testContext } from '../emulators/escpos-printer-harness';
import { EscposPrinterEmulator } from '../../simulator/emulators/escpos-printer';
import { attachSerial } from '../../simulator/emulators/escpos-printer-transports';
import { printerContract, CONTRACT_RECEIPT } from './printer.contract';
import { settleOn, stepUntil } from '../drivers/fake-time';
import { collect } from './wait';

let dir: string;
let pty: PtyPair;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-printer-real-'));
  pty = await startPtyPair(dir);
});
afterAll(async () => {
  await pty.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
/** The serial driver on the shared pty with its timers (reply timeouts, status polls) on `clock`; the emulator at the far end. */
async function serialPrinterOnClock(clock: FakeClock, statusTimeoutMs = 300) {
  const emulator = new EscposPrinterEmulator({ columns: 32 });
  const peer = await attachSerial(emulator, pty.device);
  const config = printerSchema.parse({ driver: 'serial', path: pty.host, reconnectMs: 50, columns: 32 }) as SerialPrinterConfig;
  const device = createSerialPrinter(config, { ...testContext(), clock }, { statusTimeoutMs });
  return { device, emulator, printedText: () => emulator.printedText(), teardown: async () => (await device.close(), await peer.close()) };
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof DeviceError ? e.code : String(e)));
const EN = renderText(saleReceiptEn, 32);

// The contract opens a second harness while its beforeEach one is live, so each contract harness gets its own pty pair.
printerContract('serial over a socat pty', () => makeSerialPrinterHarness());
printerContract('tcp raw port, two-way', () => makeTcpPrinterHarness({ twoWay: true }));
printerContract('tcp raw port, one-way', () => makeTcpPrinterHarness({ twoWay: false }));
printerContract('usb printer class device file (one-way)', () => makeUsbPrinterHarness());

describe('serial printer (two-way)', () => {
  it('prints the Chinese sale receipt, read back as text with GB18030 decoded', async () => {
    const h = await makeSerialPrinterHarness({ pty });
    try {
      await h.device.open();
      expect(h.device.supportsChinese).toBe(true);
      await h.device.print(saleReceiptZh);
      expect(h.printedText()).toBe(renderText(saleReceiptZh, 32));
      expect(h.emulator.qrPayloads).toEqual(['https://pay.example.com/r/507309123456']);
      expect(h.emulator.cuts).toBe(1);
    } finally {
      await h.teardown();
    }
  });

  it('rejects with EPAPER when the paper is out before the job, printing nothing', async () => {
    const h = await makeSerialPrinterHarness({ pty });
    try {
      await h.device.open();
      h.emulator.setPaper('out');
      await expect(h.device.print(saleReceiptEn)).rejects.toMatchObject({ code: 'EPAPER', message: expect.stringContaining('before printing') });
      expect(h.printedText()).toBe('');
    } finally {
      await h.teardown();
    }
  });

  it('rejects with EPAPER when the paper runs out part-way, after what did print', async () => {
    const h = await makeSerialPrinterHarness({ pty, paperRows: 5 });
    try {
      await h.device.open();
      const statuses = collect<PrinterStatus>((l) => h.device.onStatus(l));
      await expect(h.device.print(saleReceiptEn)).rejects.toMatchObject({ code: 'EPAPER', message: expect.stringContaining('part-way') });
      expect(h.printedText()).toBe(EN.split('\n').slice(0, 5).join('\n'));
      expect(h.emulator.cuts).toBe(0);
      expect(statuses.events).toContainEqual({ state: 'paper-out', paperNearEnd: false });
      expect(await h.device.status()).toEqual({ state: 'paper-out', paperNearEnd: false });
      h.emulator.setPaper('ok');
      await h.device.print(saleReceiptEn);
      expect(h.printedText().endsWith(EN)).toBe(true);
    } finally {
      await h.teardown();
    }
  });

  it('rejects with ECOVER when the cover is open, and reports paper near end', async () => {
    const h = await makeSerialPrinterHarness({ pty });
    try {
      await h.device.open();
      h.emulator.setCover('open');
      expect(await codeOf(h.device.print(CONTRACT_RECEIPT))).toBe('ECOVER');
      h.emulator.setCover('closed');
      h.emulator.nearEnd = true;
      expect(await h.device.status()).toEqual({ state: 'online', paperNearEnd: true });
      await h.device.print(CONTRACT_RECEIPT);
      expect(h.printedText()).toBe(renderText(CONTRACT_RECEIPT, 32));
    } finally {
      await h.teardown();
    }
  });

  it('notices paper out and refill between jobs on its own (status polling) and tells onStatus', async () => {
    const clock = new FakeClock();
    const h = await serialPrinterOnClock(clock);
    try {
      await h.device.open();
      const statuses = collect<PrinterStatus>((l) => h.device.onStatus(l));
      h.emulator.setPaper('out');
      await stepUntil(clock, () => statuses.events.length >= 1, 'paper-out status', 50);
      h.emulator.setPaper('ok');
      await stepUntil(clock, () => statuses.events.length >= 2, 'online status', 50);
      expect(statuses.events.slice(0, 2)).toEqual([
        { state: 'paper-out', paperNearEnd: false },
        { state: 'online', paperNearEnd: false },
      ]);
    } finally {
      await h.teardown();
    }
  });

  it('reports offline when the printer does not answer, and a job stops with ETIMEOUT', async () => {
    const clock = new FakeClock();
    const h = await serialPrinterOnClock(clock, 100);
    try {
      await h.device.open();
      h.emulator.answersStatus = false;
      expect(await settleOn(clock, h.device.status(), 50)).toEqual({ state: 'offline', paperNearEnd: false });
      expect(await settleOn(clock, codeOf(h.device.print(CONTRACT_RECEIPT)), 50)).toBe('ETIMEOUT');
      expect(h.printedText()).toBe('');
    } finally {
      await h.teardown();
    }
  });

  it('rejects a job in flight with ECANCELED on close(), and ENOTOPEN before open()', async () => {
    const h = await makeSerialPrinterHarness({ pty, statusTimeoutMs: 5000 });
    try {
      expect(await codeOf(h.device.print(CONTRACT_RECEIPT))).toBe('ENOTOPEN');
      expect(await codeOf(h.device.status())).toBe('ENOTOPEN');
      await h.device.open();
      h.emulator.answersStatus = false;
      const inFlight = codeOf(h.device.print(CONTRACT_RECEIPT));
      await until(() => h.emulator.statusRequests > 0, 'the job to ask for status');
      const queued = codeOf(h.device.print(CONTRACT_RECEIPT));
      await h.device.close();
      expect(await inFlight).toBe('ECANCELED');
      expect(await queued).toBe('ECANCELED');
    } finally {
      await h.teardown();
    }
  });

  it('throws synchronously for a malformed receipt', async () => {
    const h = await makeSerialPrinterHarness({ pty });
    try {
      await h.device.open();
      expect(() => h.device.print({ lines: [{ type: 'barcode', symbology: 'ean13', data: 'nope' }] })).toThrow('EAN-13 expects 12 or 13 digits');
    } finally {
      await h.teardown();
    }
  });

  it('fails open() with ENODEV when the port does not exist', async () => {
    const config = printerSchema.parse({ driver: 'serial', path: join(dir, 'missing') }) as SerialPrinterConfig;
    expect(await codeOf(createSerialPrinter(config, testContext()).open())).toBe('ENODEV');
  });
});

describe('serial printer unplugged and plugged back', () => {
  let own: PtyPair;
  let ownDir: string;
  beforeAll(async () => {
    ownDir = mkdtempSync(join(tmpdir(), 'posfw-printer-plug-'));
    own = await startPtyPair(ownDir);
  });
  afterAll(async () => {
    await own.stop();
    rmSync(ownDir, { recursive: true, force: true });
  });

  it('reports EIO and offline while unplugged, reopens the same path and prints again', async () => {
    const h = await makeSerialPrinterHarness({ pty: own, reconnectMs: 50 });
    try {
      await h.device.open();
      await h.device.print(CONTRACT_RECEIPT);
      const errors = collect<DeviceError>((l) => h.device.onError(l));
      const statuses = collect<PrinterStatus>((l) => h.device.onStatus(l));

      await h.unplug();
      const [err] = await errors.waitFor(1);
      expect(err.code).toBe('EIO');
      expect(await h.device.status()).toEqual({ state: 'offline', paperNearEnd: false });
      expect(await codeOf(h.device.print(CONTRACT_RECEIPT))).toBe('EIO');

      await h.replug();
      await until(() => statuses.events.at(-1)?.state === 'online', 'status online after replug');
      expect(statuses.events[0]).toEqual({ state: 'offline', paperNearEnd: false });
      expect(statuses.events.at(-1)).toEqual({ state: 'online', paperNearEnd: false });

      await h.device.print(CONTRACT_RECEIPT);
      const once = renderText(CONTRACT_RECEIPT, 32);
      expect(h.printedText()).toBe(`${once}\n${once}`);
    } finally {
      await h.teardown();
    }
  });
});

describe('one-way transports', () => {
  it.each([
    ['usb', () => makeUsbPrinterHarness()],
    ['tcp', () => makeTcpPrinterHarness({ twoWay: false })],
  ] as const)('%s: prints, reads back, reports unknown (never online), cannot see paper out', async (_name, make) => {
    const h = await make();
    try {
      expect(h.twoWay).toBe(false);
      await h.device.open();
      expect(await h.device.status()).toEqual({ state: 'unknown', paperNearEnd: false });
      await h.device.print(saleReceiptZh);
      expect(h.printedText()).toBe(renderText(saleReceiptZh, 32));
      await h.setPaper('out');
      await expect(h.device.print(CONTRACT_RECEIPT)).resolves.toBeUndefined();
      expect(await h.device.status()).toEqual({ state: 'unknown', paperNearEnd: false });
      expect(h.printedText()).toBe(renderText(saleReceiptZh, 32));
      expect(h.emulator.statusRequests).toBe(0);
    } finally {
      await h.teardown();
    }
  });

  it('tcp: one connection per job (plus the open() probe), printed in order', async () => {
    const h = await makeTcpPrinterHarness();
    try {
      await h.device.open();
      await Promise.all([h.device.print(CONTRACT_RECEIPT), h.device.print(saleReceiptEn)]);
      expect(h.peer.connections()).toBe(3);
      expect(h.printedText()).toBe(`${renderText(CONTRACT_RECEIPT, 32)}\n${EN}`);
    } finally {
      await h.teardown();
    }
  });

  it('tcp: open() fails with ENODEV when nothing listens', async () => {
    const h = await makeTcpPrinterHarness();
    const port = h.peer.port;
    await h.teardown();
    const config = printerSchema.parse({ driver: 'tcp', host: '127.0.0.1', port }) as TcpPrinterConfig;
    expect(await codeOf(createTcpPrinter(config, testContext()).open())).toBe('ENODEV');
  });

  it('usb: open() fails with ENODEV when the device file is missing (and never creates it)', async () => {
    const path = join(dir, 'lp9');
    const config = printerSchema.parse({ driver: 'usb', path }) as UsbPrinterConfig;
    expect(await codeOf(createUsbPrinter(config, testContext()).open())).toBe('ENODEV');
    expect(await codeOf(createUsbPrinter(config, testContext()).status())).toBe('ENOTOPEN');
  });
});
