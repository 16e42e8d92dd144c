// Serial PIN pad driver against the emulator over a real pty pair: PIN entry outcomes, KSN, key loading, lifecycle.
// The driver runs on a FakeClock: its timeouts fire only when a test steps time (bytes on the pty are real).
import { FakeClock } from '../../firmware/common/clock';
import { decryptPin, deriveInitialKey, nextKsn } from '../../firmware/crypto/dukpt';
import { DeviceError } from '../../firmware/hal/device';
import type { PinRequest, PinResult } from '../../firmware/hal/pinpad/pinpad';
import { createSerialPinPad } from '../../firmware/hal/pinpad/pinpad.serial';
import { settleOn } from './fake-time';
import { startPinPadRig, TEST_BDK, TEST_KEY, type PinPadRig } from './pinpad-serial-rig';
import { silentLogger } from '../../firmware/log';

const PAN = '4761739001010010';
type PinOutcome = Extract<PinResult, { kind: 'pin' }>;

let rig: PinPadRig;
let clock: FakeClock;
beforeEach(async () => {
  clock = new FakeClock();
  rig = await startPinPadRig({ clock });
  await rig.pad.open();
});
afterEach(async () => {
  await rig.teardown();
});

const ask = (extra: Partial<PinRequest> = {}) =>
  rig.pad.entry.requestPin({ pan: PAN, amount: { minor: 12345, currency: 'CNY' }, label: 'SALE', allowBypass: true, timeoutMs: 10000, ...extra });

describe('serial PIN pad: PIN entry over a pty', () => {
  it('returns a TDES DUKPT format 0 PIN block that the host decrypts to the PIN typed, showing the prompt on the pad', async () => {
    const pending = ask();
    expect(await rig.emulator.waitForPrompt(5000)).toBe(true);
    expect(rig.emulator.screen()).toEqual({ prompting: true, label: 'SALE', amount: 'CNY 123.45', lines: ['SALE', 'CNY 123.45', 'ENTER PIN', ''] });
    await rig.emulator.enterPin('4321');
    const r = (await pending) as PinOutcome;
    expect(r.kind).toBe('pin');
    expect(r.format).toBe(0);
    expect(r.pinBlock).toHaveLength(8);
    expect(r.ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00001');
    expect(decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: r.format })).toBe('4321');
    expect(rig.emulator.screen().lines).toEqual(['READY']);
  });

  it('advances the KSN on every PIN entry, and only then', async () => {
    const ksns: string[] = [];
    for (const pin of ['1234', '987654', '000000000000']) {
      const pending = ask({ maxLength: 12 });
      await rig.emulator.enterPin(pin);
      const r = (await pending) as PinOutcome;
      ksns.push(r.ksn.toString('hex').toUpperCase());
      expect(decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 0 })).toBe(pin);
    }
    const bypassed = ask();
    await rig.emulator.bypass();
    await bypassed;
    expect(ksns).toEqual(['FFFF9876543210E00001', 'FFFF9876543210E00002', 'FFFF9876543210E00003']);
    expect(rig.emulator.keyState().ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00003');
    expect((await rig.pad.status()).ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00003');
  });

  it('returns bypass for OK with no digits, and the pad ignores it when bypass is not allowed', async () => {
    const allowed = ask();
    await rig.emulator.bypass();
    await expect(allowed).resolves.toEqual({ kind: 'bypass' });

    const refused = ask({ allowBypass: false });
    await expect(rig.emulator.bypass()).rejects.toThrow(/bypass is not allowed/);
    await expect(rig.emulator.enterPin('12')).rejects.toThrow(/4-12 digits/);
    await rig.emulator.enterPin('5678');
    await expect(refused).resolves.toMatchObject({ kind: 'pin' });
  });

  it('returns cancelled when the cardholder presses CANCEL', async () => {
    const pending = ask();
    await rig.emulator.cancel();
    await expect(pending).resolves.toEqual({ kind: 'cancelled' });
  });

  it('returns cancelled when the caller aborts, and the pad stops prompting', async () => {
    const ac = new AbortController();
    const pending = ask({ signal: ac.signal });
    expect(await rig.emulator.waitForPrompt(5000)).toBe(true);
    ac.abort();
    await expect(pending).resolves.toEqual({ kind: 'cancelled' });
    expect(rig.emulator.screen().prompting).toBe(false);
    // The pad is free for the next request.
    const next = ask();
    await rig.emulator.enterPin('1111');
    await expect(next).resolves.toMatchObject({ kind: 'pin' });
  });

  it('returns cancelled at once for an already aborted signal without prompting', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(ask({ signal: ac.signal })).resolves.toEqual({ kind: 'cancelled' });
    expect(await rig.emulator.waitForPrompt(100)).toBe(false);
  });

  it('returns timeout when nobody types, and the pad stops prompting', async () => {
    const pending = ask({ timeoutMs: 200 });
    expect(await rig.emulator.waitForPrompt(5000)).toBe(true);
    await clock.advance(200);
    await expect(pending).resolves.toEqual({ kind: 'timeout' });
    expect(rig.emulator.screen().prompting).toBe(false);
  });

  it('refuses a second request while one is in progress (EBUSY)', async () => {
    const first = ask();
    await expect(ask()).rejects.toMatchObject({ code: 'EBUSY' });
    await expect(rig.pad.keys.loadInitialKey(TEST_KEY)).rejects.toMatchObject({ code: 'EBUSY' });
    await rig.emulator.cancel();
    await first;
  });

  it('rejects a pending entry with ECANCELED when the device is closed', async () => {
    const pending = ask().catch((e: unknown) => e);
    await rig.emulator.waitForPrompt(5000);
    await rig.pad.close();
    await expect(pending).resolves.toMatchObject({ name: 'DeviceError', code: 'ECANCELED', canceled: true });
    await expect(ask()).rejects.toMatchObject({ code: 'ENOTOPEN' });
  });

  it('throws synchronously on bad arguments, naming what was expected', () => {
    expect(() => rig.pad.entry.requestPin({ pan: '1234', label: 'SALE', allowBypass: true })).toThrow(/pan must be 12-19 digits/);
    expect(() => rig.pad.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: true, minLength: 8, maxLength: 6 })).toThrow(/4 <= min <= max <= 12/);
    expect(() => rig.pad.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: true, amount: { minor: 1, currency: 'cny' } })).toThrow(/ISO 4217/);
    expect(() => rig.pad.keys.loadInitialKey({ scheme: 'tdes', initialKey: Buffer.alloc(32), ksn: Buffer.alloc(10) })).toThrow(/16-byte Buffer/);
  });

  it('gives flows only requestPin: the entry object has no path to key loading', () => {
    expect(Object.keys(rig.pad.entry)).toEqual(['requestPin']);
    expect(Object.isFrozen(rig.pad.entry)).toBe(true);
    expect('loadInitialKey' in rig.pad.entry).toBe(false);
  });
});

describe('serial PIN pad: key loading', () => {
  it('loads a new TDES initial key; the next PIN block decrypts under the new BDK only', async () => {
    const bdk = Buffer.from('FEDCBA98765432100123456789ABCDEF', 'hex');
    const ksn = Buffer.from('1234560000AB00000000', 'hex');
    const { scheme, initialKey } = deriveInitialKey(bdk, ksn);
    await rig.pad.keys.loadInitialKey({ scheme, initialKey, ksn });
    expect(rig.emulator.keyState()).toEqual({ scheme: 'tdes', ksn });
    const pending = ask();
    await rig.emulator.enterPin('2468');
    const r = (await pending) as PinOutcome;
    expect(r.ksn).toEqual(nextKsn(ksn, 'tdes'));
    expect(decryptPin({ bdk, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 0 })).toBe('2468');
    let underOld: string | undefined;
    try {
      underOld = decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 0 });
    } catch {
      underOld = undefined;
    }
    expect(underOld).not.toBe('2468');
  });

  it('loads an AES-128 initial key; PIN blocks become ISO format 4 with a 12-byte KSN', async () => {
    const bdk = Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex');
    const ksn = Buffer.from('123456789012345600000000', 'hex');
    const { scheme, initialKey } = deriveInitialKey(bdk, ksn);
    expect(scheme).toBe('aes128');
    await rig.pad.keys.loadInitialKey({ scheme, initialKey, ksn });
    const pending = ask();
    await rig.emulator.enterPin('13579');
    const r = (await pending) as PinOutcome;
    expect(r.format).toBe(4);
    expect(r.pinBlock).toHaveLength(16);
    expect(r.ksn.toString('hex')).toBe('123456789012345600000001');
    expect(decryptPin({ bdk, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 4 })).toBe('13579');
  });
});

describe('serial PIN pad: open', () => {
  it('rejects ENODEV when the port does not exist', async () => {
    const pad = createSerialPinPad({ ...rig.config, path: `${rig.dir}/no-such-port` }, { log: silentLogger });
    await expect(pad.open()).rejects.toMatchObject({ code: 'ENODEV' });
    await pad.close();
  });

  it('rejects ENODEV when the port is there but no pad answers', async () => {
    await rig.emulator.close();
    await rig.pad.close(); // frees the port lock
    const pad = createSerialPinPad({ ...rig.config, ackTimeoutMs: 50, retries: 1 }, { log: silentLogger, clock });
    const err = (await settleOn(clock, pad.open(), 50)) as DeviceError;
    expect(err).toBeInstanceOf(DeviceError);
    expect(err.code).toBe('ENODEV');
    expect(err.message).toMatch(/no PIN pad answering/);
  });

  it('refuses a config without a path', () => {
    expect(() => createSerialPinPad({ ...rig.config, path: '' }, { log: silentLogger })).toThrow(/with a path/);
  });
});
