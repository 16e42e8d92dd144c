// Real magstripe drivers through the MagstripeReader contract: serial over a socat pty pair, USB HID through the HID emulator.
import { DeviceError } from '../../firmware/hal/device';
import type { SwipeEvent } from '../../firmware/hal/magstripe/magstripe';
import { SerialMagstripe, createSerialMagstripe, type SerialMagstripeConfig } from '../../firmware/hal/magstripe/magstripe.serial';
import { HidMagstripe, createHidMagstripe, type HidMagstripeConfig } from '../../firmware/hal/magstripe/magstripe.hid';
import { encodeMagtekReport } from '../../firmware/hal/magstripe/magstripe-decode-magtek';
import { FakeClock } from '../../firmware/common/clock';
import { silentLogger } from '../../firmware/log';
import { stepUntil } from '../drivers/fake-time';
import { startPtyPair, type PtyPair } from '../emulators/serial-pty';
import { HidEmulator } from '../emulators/hid-emulator';
import { magstripeContract, TEST_TRACK1, TEST_TRACK2 } from './magstripe.contract';
import { collect, settle } from './wait';

const ctx = { log: silentLogger, dataDir: '/nonexistent', peers: new Map() };
const serialConfig = (path: string): SerialMagstripeConfig => ({ driver: 'serial', path, baudRate: 9600, reconnectMs: 50 });
const hidConfig = (mode: 'raw' | 'keyboard', layout: 'us' | 'de' | 'fr' = 'us'): HidMagstripeConfig => ({ driver: 'hid', vendorId: 0x0801, productId: 0x0002, mode, layout });
const DAMAGED_TRACK2 = ';4761739001010010=3012201000000'; // end sentinel missing: the swipe was cut short

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

magstripeContract('serial over a pty', async () => {
  const pty = await startPtyPair();
  return {
    device: createSerialMagstripe(serialConfig(pty.a), ctx),
    swipe: async (t) => pty.write(`${t.track1 ?? ''}${t.track2}\r`),
    swipeDamaged: async () => pty.write(`${DAMAGED_TRACK2}\r`),
    teardown: () => pty.stop(),
  };
});

for (const layout of ['us', 'de', 'fr'] as const) {
  magstripeContract(`hid keyboard wedge (${layout}) through the HID emulator`, async () => {
    const emu = new HidEmulator(0x0801, 0x0002);
    return {
      device: createHidMagstripe(hidConfig('keyboard', layout), ctx, { openHid: emu.openHid }),
      swipe: (t) => emu.type(`${t.track1 ?? ''}${t.track2}\n`, layout),
      swipeDamaged: () => emu.type(`${DAMAGED_TRACK2}\n`, layout),
      teardown: async () => undefined,
    };
  });
}

magstripeContract('hid raw (MagTek layout) through the HID emulator', async () => {
  const emu = new HidEmulator(0x0801, 0x0002);
  return {
    device: createHidMagstripe(hidConfig('raw'), ctx, { openHid: emu.openHid }),
    swipe: (t) => emu.sendReports([encodeMagtekReport(t)]),
    swipeDamaged: () => emu.sendReports([encodeMagtekReport({ track1: TEST_TRACK1, track2: TEST_TRACK2 }, { errors: [2] })]),
    teardown: async () => undefined,
  };
});

// The driver's timers (track gap, presence check, reopen back-off) run on a FakeClock; the bytes on the pty are real.
describe('serial magstripe reader over a real pty', () => {
  let pty: PtyPair;
  let clock: FakeClock;
  let device: SerialMagstripe;
  let swipes: ReturnType<typeof collect<SwipeEvent>>;

  beforeEach(async () => {
    pty = await startPtyPair();
    clock = new FakeClock();
    device = new SerialMagstripe(serialConfig(pty.a), { ...ctx, clock }, { swipeGapMs: 100 });
    swipes = collect<SwipeEvent>((l) => device.onSwipe(l));
    await device.open();
  });
  afterEach(async () => {
    await device.close();
    await pty.stop();
  });

  it('joins a reader that ends each track with CR, across split writes', async () => {
    pty.write(TEST_TRACK1.slice(0, 20));
    await settle(20);
    pty.write(`${TEST_TRACK1.slice(20)}\r\n`);
    await settle(20);
    pty.write(`${TEST_TRACK2}\r\n`);
    const [s] = await swipes.waitFor(1);
    expect(s).toMatchObject({ kind: 'card', card: { pan: '4761739001010010', cardholderName: 'CARDHOLDER/TEST' } });
  });

  it('reports a lone track 1 as a bad read after the gap', async () => {
    pty.write(`${TEST_TRACK1}\r`);
    await stepUntil(clock, () => swipes.events.length > 0, 'the gap to run out', 50);
    expect(await swipes.waitFor(1)).toEqual([{ kind: 'bad-read', reason: 'track 2: no data (partial read)' }]);
  });

  it('reports garbage and overlong lines as bad reads and then reads a good swipe', async () => {
    pty.write(Buffer.from([0xff, 0x00, 0x1b, 0x0d]));
    pty.write('7'.repeat(3000) + '\r');
    pty.write(`${TEST_TRACK2}\r`);
    const got = await swipes.waitFor(3);
    expect(got.map((s) => (s.kind === 'card' ? s.card.pan : s.reason))).toEqual([
      'swipe data contains non-printable characters',
      'swipe data longer than 512 characters',
      '4761739001010010',
    ]);
  });

  it('reconnects after an unplug and reads again', async () => {
    const errors = collect<DeviceError>((l) => device.onError(l));
    await pty.unplug();
    await stepUntil(clock, () => errors.events.length > 0, 'the unplug to be noticed', 50);
    expect((await errors.waitFor(1))[0]?.code).toBe('EIO');
    await pty.replug();
    await stepUntil(clock, () => device.connected, 'the driver to reconnect', 50);
    pty.write(`${TEST_TRACK1}${TEST_TRACK2}\r`);
    expect((await swipes.waitFor(1))[0]?.kind).toBe('card');
  });
});

describe('hid magstripe reader', () => {
  it('reassembles a raw report that arrives in 64-byte pieces', async () => {
    const emu = new HidEmulator(0x0801, 0x0002);
    const device = new HidMagstripe(hidConfig('raw'), ctx, { openHid: emu.openHid });
    const swipes = collect<SwipeEvent>((l) => device.onSwipe(l));
    await device.open();
    const whole = encodeMagtekReport({ track1: TEST_TRACK1, track2: TEST_TRACK2 });
    await emu.sendReports(Array.from({ length: Math.ceil(whole.length / 64) }, (_, i) => whole.subarray(i * 64, (i + 1) * 64)));
    expect((await swipes.waitFor(1))[0]).toMatchObject({ kind: 'card', card: { pan: '4761739001010010' } });
    await device.close();
  });

  it('reports EIO on unplug, reopens after replug and reads again', async () => {
    const emu = new HidEmulator(0x0801, 0x0002);
    const clock = new FakeClock();
    const device = new HidMagstripe(hidConfig('keyboard', 'de'), { ...ctx, clock }, { openHid: emu.openHid, reconnectMs: 20 });
    const swipes = collect<SwipeEvent>((l) => device.onSwipe(l));
    const errors = collect<DeviceError>((l) => device.onError(l));
    await device.open();
    await emu.type(TEST_TRACK1.slice(0, 30), 'de'); // half a swipe, then the cable is pulled
    emu.unplug();
    expect((await errors.waitFor(1))[0]).toMatchObject({ name: 'DeviceError', code: 'EIO' });
    await clock.advance(60); // three reopen attempts while it is unplugged
    expect(device.connected).toBe(false);
    emu.replug();
    await clock.advance(20);
    await until(() => device.connected, 'the driver to reopen the device');
    await emu.type(`${TEST_TRACK1}${TEST_TRACK2}\n`, 'de');
    const got = await swipes.waitFor(1);
    expect(got.map((s) => s.kind)).toEqual(['card']);
    expect(emu.opens).toBe(2);
    await device.close();
  });

  it('rejects open with ENODEV when absent and EDRIVER when node-hid cannot load', async () => {
    const emu = new HidEmulator(0x0801, 0x0002);
    emu.unplug();
    await expect(new HidMagstripe(hidConfig('raw'), ctx, { openHid: emu.openHid }).open()).rejects.toMatchObject({ code: 'ENODEV' });
    const noLibusb = () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory');
    };
    await expect(new HidMagstripe(hidConfig('raw'), ctx, { openHid: noLibusb }).open()).rejects.toMatchObject({ code: 'EDRIVER' });
  });
});
