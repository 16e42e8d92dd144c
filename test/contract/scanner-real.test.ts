// Real scanner drivers through the BarcodeScanner contract: serial over a socat pty pair, USB HID through the HID emulator.
import { FakeClock } from '../../firmware/common/clock';
import { DeviceError } from '../../firmware/hal/device';
import { silentLogger } from '../../firmware/log';
import type { ScanEvent, ScanReject } from '../../firmware/hal/scanner/scanner';
import { SerialScanner, createSerialScanner, type SerialScannerConfig } from '../../firmware/hal/scanner/scanner.serial';
import { createHidScanner, type HidScannerConfig } from '../../firmware/hal/scanner/scanner.hid';
import { startPtyPair, type PtyPair } from '../emulators/serial-pty';
import { HidEmulator, hidPosReports } from '../emulators/hid-emulator';
import { encodeText } from '../../firmware/hal/hid/keyboard-encoder';
import { scannerContract } from './scanner.contract';
import { collect, settle } from './wait';

const serialConfig = (path: string, over: Partial<SerialScannerConfig> = {}): SerialScannerConfig => ({
  driver: 'serial',
  path,
  baudRate: 9600,
  reconnectMs: 50,
  prefix: '',
  suffix: '\r',
  symbologyIds: 'aim',
  maxLength: 2048,
  ...over,
});
const ctx = { log: silentLogger, dataDir: '/nonexistent', peers: new Map() };

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

scannerContract('serial over a pty', async () => {
  const pty = await startPtyPair();
  const device = createSerialScanner(serialConfig(pty.a), ctx);
  return {
    device,
    scan: async (data) => pty.write(`]E0${data}\r`),
    scanOverlong: async () => pty.write('9'.repeat(5000) + '\r'),
    teardown: () => pty.stop(),
  };
});

for (const mode of ['pos', 'keyboard'] as const) {
  for (const layout of mode === 'pos' ? (['us'] as const) : (['us', 'de', 'fr'] as const)) {
    scannerContract(`hid ${mode}${mode === 'keyboard' ? ` (${layout})` : ''} through the HID emulator`, async () => {
      const emu = new HidEmulator();
      const config: HidScannerConfig = { driver: 'hid', vendorId: 0x0c2e, productId: 0x0b8f, mode, layout, maxLength: 2048 };
      const device = createHidScanner(config, ctx, { openHid: emu.openHid });
      const send = (data: string) => (mode === 'pos' ? emu.sendReports(hidPosReports(data, ']E0')) : emu.type(data + '\n', layout));
      return {
        device,
        scan: async (data) => send(data),
        scanOverlong: async () => send('9'.repeat(3000)),
        teardown: async () => undefined,
      };
    });
  }
}

describe('serial scan head over a real pty', () => {
  let pty: PtyPair;
  let device: SerialScanner;
  let scans: ReturnType<typeof collect<ScanEvent>>;
  let rejects: ReturnType<typeof collect<ScanReject>>;

  beforeEach(async () => {
    pty = await startPtyPair();
    device = new SerialScanner(serialConfig(pty.a, { prefix: '\x02', suffix: '\x03\r\n', maxLength: 64 }), ctx);
    scans = collect<ScanEvent>((l) => device.onScan(l));
    rejects = collect<ScanReject>((l) => device.onReject(l));
    await device.open();
  });
  afterEach(async () => {
    await device.close();
    await pty.stop();
  });

  it('reassembles frames split across writes, with symbology', async () => {
    pty.write('\x02]Q1wei');
    await settle(30);
    pty.write('xin://wxpay/bizpay?pr=abc\x03');
    await settle(30);
    pty.write('\r\n\x02]E0690123');
    pty.write('4567892\x03\r\n');
    expect(await scans.waitFor(2)).toEqual([
      { data: 'weixin://wxpay/bizpay?pr=abc', symbology: 'qr' },
      { data: '6901234567892', symbology: 'ean13' },
    ]);
  });

  it('rejects garbled frames and reads the next good one', async () => {
    pty.write(Buffer.from([0xff, 0x13, 0x37, 0x03, 0x0d, 0x0a]));
    pty.write('\x02]C1\x1b[2J\x03\r\n');
    pty.write('\x02]C10109501101530003\x1d10ABC123\x03\r\n');
    expect(await scans.waitFor(1)).toEqual([{ data: '0109501101530003\x1d10ABC123', symbology: 'gs1-128' }]);
    expect(rejects.events.map((r) => r.reason)).toEqual(['garbled', 'control-characters']);
  });

  it('rejects an overlong code without waiting for its end, and recovers', async () => {
    pty.write('\x02' + '7'.repeat(4096));
    const [r] = await rejects.waitFor(1);
    expect(r).toEqual({ reason: 'overlong', detail: 'no suffix within 64 bytes' });
    pty.write('7'.repeat(1000) + '\x03\r\n\x02OK\x03\r\n');
    expect(await scans.waitFor(1)).toEqual([{ data: 'OK' }]);
    expect(rejects.events).toHaveLength(1);
  });

  it('reports the unplug, reconnects when the port comes back and reads again', async () => {
    const errors = collect<DeviceError>((l) => device.onError(l));
    pty.write('\x02BEFORE\x03\r\n');
    await scans.waitFor(1);
    pty.write('\x02HALF-A-FRA');
    await settle(30);
    await pty.unplug();
    const [err] = await errors.waitFor(1);
    expect(err).toBeInstanceOf(DeviceError);
    expect(err?.code).toBe('EIO');
    expect(device.connected).toBe(false);
    await settle(120); // several failed reconnect attempts while the path is missing
    await pty.replug();
    await until(() => device.connected, 'the driver to reconnect');
    pty.write('\x02AFTER\x03\r\n');
    expect((await scans.waitFor(2)).map((s) => s.data)).toEqual(['BEFORE', 'AFTER']);
    expect(rejects.events).toEqual([]);
  });
});

describe('serial scan head open failures', () => {
  it('rejects with ENODEV when the path does not exist', async () => {
    const d = new SerialScanner(serialConfig('/nonexistent/posfw-tty'), ctx);
    await expect(d.open()).rejects.toMatchObject({ name: 'DeviceError', code: 'ENODEV' });
    await d.close();
  });
});

describe('hid scan head through the HID emulator', () => {
  const config = (mode: 'pos' | 'keyboard', maxLength = 2048): HidScannerConfig => ({ driver: 'hid', vendorId: 0x0c2e, productId: 0x0b8f, mode, layout: 'fr', maxLength });

  it('reports EIO on unplug, drops the half-received code, reopens and reads again', async () => {
    const emu = new HidEmulator();
    const clock = new FakeClock();
    const device = createHidScanner(config('pos'), { ...ctx, clock }, { openHid: emu.openHid, reconnectMs: 20 });
    const scans = collect<ScanEvent>((l) => device.onScan(l));
    const errors = collect<DeviceError>((l) => device.onError(l));
    await device.open();
    await emu.sendReports(hidPosReports('x'.repeat(100), ']Q1').slice(0, 1)); // first of two reports, then unplug
    emu.unplug();
    expect((await errors.waitFor(1))[0]).toMatchObject({ name: 'DeviceError', code: 'EIO' });
    emu.replug();
    await clock.advance(20); // the reopen timer
    await until(() => device.connected, 'the driver to reopen the device');
    await emu.sendReports(hidPosReports('AFTER', ']Q1'));
    expect(await scans.waitFor(1)).toEqual([{ data: 'AFTER', symbology: 'qr' }]);
    expect(emu.opens).toBe(2);
    await device.close();
  });

  it('rejects keyboard codes with keys the layout cannot type, and overlong ones', async () => {
    const emu = new HidEmulator();
    const device = createHidScanner(config('keyboard', 8), ctx, { openHid: emu.openHid });
    const scans = collect<ScanEvent>((l) => device.onScan(l));
    const rejects = collect<ScanReject>((l) => device.onReject(l));
    await device.open();
    const f1 = Buffer.from([0, 0, 0x3a, 0, 0, 0, 0, 0]);
    await emu.sendReports([...encodeText('12', 'fr'), f1, Buffer.alloc(8), ...encodeText('3\n', 'fr')]);
    await emu.type('123456789\n', 'fr');
    await emu.type('12345678\n', 'fr');
    expect(await rejects.waitFor(2)).toEqual([
      { reason: 'garbled', detail: 'usage 0x3a has no plain character in this layout' },
      { reason: 'overlong', detail: 'code exceeds 8 characters' },
    ]);
    expect(await scans.waitFor(1)).toEqual([{ data: '12345678' }]);
    await device.close();
  });

  it('rejects open with ENODEV when absent and EDRIVER when libusb is missing', async () => {
    const emu = new HidEmulator();
    emu.unplug();
    await expect(createHidScanner(config('pos'), ctx, { openHid: emu.openHid }).open()).rejects.toMatchObject({ code: 'ENODEV' });
    const noLibusb = () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory');
    };
    await expect(createHidScanner(config('pos'), ctx, { openHid: noLibusb }).open()).rejects.toMatchObject({ code: 'EDRIVER' });
  });
});
