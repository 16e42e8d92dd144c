// Serial PIN pad driver under line faults over a real pty: garbling, split frames, lost ACKs, NAK storms, unplug/replug.
import { Writable } from 'node:stream';
import { decryptPin } from '../../firmware/crypto/dukpt';
import { FakeClock } from '../../firmware/common/clock';
import { createLogger, silentLogger } from '../../firmware/log';
import type { DeviceError } from '../../firmware/hal/device';
import type { PinRequest, PinResult } from '../../firmware/hal/pinpad/pinpad';
import { settleOn } from './fake-time';
import { startPinPadRig, TEST_BDK, TEST_KEY, type PinPadRig } from './pinpad-serial-rig';
import { PinPadLink } from '../../firmware/hal/pinpad/pinpad-link';
import { PadErrorCode, decodeMessage, encodeMessage } from '../../firmware/hal/pinpad/pinpad-protocol';
import { SerialLine } from '../../firmware/hal/serial/serial-line';

const PAN = '4761739001010010';
type PinOutcome = Extract<PinResult, { kind: 'pin' }>;

let rig: PinPadRig;
afterEach(async () => {
  await rig.teardown();
});

const ask = (extra: Partial<PinRequest> = {}) =>
  rig.pad.entry.requestPin({ pan: PAN, amount: { minor: 500, currency: 'CNY' }, label: 'SALE', allowBypass: true, timeoutMs: 10000, ...extra });

async function enterAndDecrypt(pin: string): Promise<PinOutcome> {
  const pending = ask();
  await rig.emulator.enterPin(pin);
  const r = (await pending) as PinOutcome;
  expect(r.kind).toBe('pin');
  expect(decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: r.format })).toBe(pin);
  return r;
}

/** Polls `fn` until it resolves (bounded); returns its value. */
async function eventually<T>(fn: () => Promise<T>, attempts = 50, pauseMs = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
  throw last;
}

describe('serial PIN pad: line faults', () => {
  beforeEach(async () => {
    rig = await startPinPadRig();
    await rig.pad.open();
  });

  it('survives a garbled frame, noise between frames and frames split into 3-byte chunks', async () => {
    rig.emulator.inject({ kind: 'garble', count: 1 });
    rig.emulator.inject({ kind: 'noise', bytes: Buffer.from('ff41007f80', 'hex') });
    rig.emulator.inject({ kind: 'split', chunkSize: 3 });
    await enterAndDecrypt('8642');
    // The driver NAKed the garbled result; the pad sent it again.
    expect(rig.emulator.stats().retransmits).toBeGreaterThanOrEqual(1);
    rig.emulator.inject({ kind: 'split', chunkSize: 0 });
    await enterAndDecrypt('8643');
  });

  it('discards a duplicate result when its ACK to the pad is lost', async () => {
    rig.emulator.inject({ kind: 'ignore-ack', count: 1 });
    await enterAndDecrypt('2468');
    expect(rig.emulator.stats().retransmits).toBeGreaterThanOrEqual(1);
    const second = await enterAndDecrypt('2469');
    expect(second.ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00002');
  });

  it('rejects ETIMEOUT after `retries` retransmissions in a NAK storm, then recovers', async () => {
    rig.emulator.inject({ kind: 'nak', count: rig.config.retries + 1 });
    const err = (await ask().catch((e: unknown) => e)) as DeviceError;
    expect(err).toMatchObject({ name: 'DeviceError', code: 'ETIMEOUT' });
    expect(err.message).toMatch(/after 4 attempts \(4 NAK\(s\), 0 timeout\(s\)\)/);
    expect(rig.emulator.stats().naksSent).toBe(rig.config.retries + 1);
    expect(rig.emulator.screen().prompting).toBe(false);
    await enterAndDecrypt('9999');
  });

  it('reports an unplug (EIO), reconnects when the line comes back at the same path, and keeps the KSN counting', async () => {
    const errors: DeviceError[] = [];
    rig.pad.onError((e) => errors.push(e));
    await enterAndDecrypt('1111');
    const prompting = ask().catch((e: unknown) => e);
    await rig.emulator.waitForPrompt(5000);
    await rig.unplug();
    await expect(prompting).resolves.toMatchObject({ code: 'EIO' });
    expect(errors.map((e) => e.code)).toEqual(['EIO']);
    await expect(ask()).rejects.toMatchObject({ code: 'EIO' });
    await rig.replug();
    await eventually(() => rig.pad.status());
    const after = await enterAndDecrypt('2222');
    expect(after.ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00002');
  });
});

describe('serial PIN pad: ACK timeouts (the driver on a FakeClock)', () => {
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    rig = await startPinPadRig({ clock });
    await rig.pad.open();
  });

  it('retransmits after a lost ACK and the pad discards the duplicate request by sequence number', async () => {
    const before = rig.emulator.stats().duplicates;
    rig.emulator.inject({ kind: 'drop-ack', count: 1 });
    const pending = ask();
    // The pad got PIN_ENTRY (STATUS at open + this one) and kept its ACK; now the driver's ACK timeout runs out.
    await eventually(async () => expect(rig.emulator.stats().messages).toBe(2), 500, 10);
    await clock.advance(rig.config.ackTimeoutMs);
    // Type only once the driver has given up waiting for the lost ACK and sent PIN_ENTRY again.
    await eventually(async () => expect(rig.emulator.stats().duplicates).toBeGreaterThan(before), 500, 10);
    await rig.emulator.enterPin('1357');
    const r = (await pending) as PinOutcome;
    expect(decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 0 })).toBe('1357');
    const stats = rig.emulator.stats();
    // STATUS at open + one PIN_ENTRY: the retransmitted PIN_ENTRY never reached the pad's logic (it would have answered BUSY).
    expect(stats.messages).toBe(2);
    expect(r.ksn.toString('hex').toUpperCase()).toBe('FFFF9876543210E00001');
  });

  it('rejects ETIMEOUT when the pad stops answering altogether', async () => {
    await rig.emulator.close();
    const err = (await settleOn(clock, ask(), rig.config.ackTimeoutMs)) as DeviceError;
    expect(err).toMatchObject({ name: 'DeviceError', code: 'ETIMEOUT' });
    expect(err.message).toMatch(/after 4 attempts \(no ACK\)/);
    expect(await settleOn(clock, rig.pad.status(), rig.config.ackTimeoutMs)).toMatchObject({ code: 'ETIMEOUT' });
  });
});

describe('serial PIN pad: logging', () => {
  it('never logs the PIN, PIN block, PAN or keys, even with retransmissions', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger({ level: 'debug', destination });
    rig = await startPinPadRig({ log });
    await rig.pad.open();
    rig.emulator.inject({ kind: 'garble', count: 1 });
    rig.emulator.inject({ kind: 'drop-ack', count: 1 });
    const r = await enterAndDecrypt('4826');
    await rig.pad.keys.loadInitialKey({ scheme: 'tdes', initialKey: Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex'), ksn: Buffer.from('FFFF9876543210E00000', 'hex') });
    const text = lines.join('').toLowerCase();
    expect(lines.length).toBeGreaterThan(3);
    expect(text).toContain('pin pad ready');
    for (const secret of [r.pinBlock.toString('hex'), '6ac292faa1315b4d858ab3a3d7d5933a', '00112233445566778899aabbccddeeff', PAN, '4826']) {
      expect(text).not.toContain(secret.toLowerCase());
    }
  });
});

describe('serial PIN pad: a pad that breaks the protocol', () => {
  /** A scripted pad: answers STATUS properly, and PIN_ENTRY with whatever body `answer` gives. */
  async function scriptedPad(answer: (ref: number) => Buffer) {
    rig = await startPinPadRig();
    await rig.emulator.close(); // free pty-b for the script
    const link: PinPadLink = new PinPadLink({
      write: (b) => void line.write(b).catch(() => undefined),
      onBody: (body) => {
        const m = decodeMessage(body);
        const reply = m.cmd === 'status' ? encodeMessage({ cmd: 'statusReply', ref: m.ref, state: 'idle', scheme: 'tdes', ksn: TEST_KEY.ksn, version: 'script' }) : m.cmd === 'pinEntry' ? answer(m.ref) : undefined;
        if (reply) link.send(reply).catch(() => undefined);
      },
      ackTimeoutMs: 250,
      retries: 3,
    });
    const line = new SerialLine({ path: rig.pair.b, baudRate: 115200, reconnectMs: 100, log: silentLogger });
    line.onData((c) => link.receive(c));
    await line.open();
    await rig.pad.open();
    return { close: () => (link.reset(), line.close()) };
  }

  it('rejects EPROTO and reports it when a PIN result lacks its PIN block', async () => {
    const pad = await scriptedPad((ref) => Buffer.from([0x11, ref >> 8, ref & 0xff, 0x10, 0x01, 0x00]));
    const errors: DeviceError[] = [];
    rig.pad.onError((e) => errors.push(e));
    const err = (await ask().catch((e: unknown) => e)) as DeviceError;
    expect(err).toMatchObject({ name: 'DeviceError', code: 'EPROTO' });
    expect(err.message).toMatch(/missing format/);
    expect(errors.map((e) => e.code)).toEqual(['EPROTO']);
    await pad.close();
  });

  it('rejects EPROTO when the pad answers a PIN request with the wrong reply', async () => {
    const pad = await scriptedPad((ref) => encodeMessage({ cmd: 'keyLoaded', ref, ksn: TEST_KEY.ksn }));
    await expect(ask()).rejects.toMatchObject({ code: 'EPROTO', message: expect.stringMatching(/answered request \d+ with keyLoaded, expected pinResult/) });
    await pad.close();
  });

  it('maps the pad\'s ERROR replies: BUSY → EBUSY, KEY_EXHAUSTED → EIO', async () => {
    let code: number = PadErrorCode.BUSY;
    const pad = await scriptedPad((ref) => encodeMessage({ cmd: 'error', ref, code, text: 'x' }));
    await expect(ask()).rejects.toMatchObject({ code: 'EBUSY', message: 'PIN pad refused the request: busy (x)' });
    code = PadErrorCode.KEY_EXHAUSTED;
    await expect(ask()).rejects.toMatchObject({ code: 'EIO', message: expect.stringMatching(/key exhausted/) });
    await pad.close();
  });
});
