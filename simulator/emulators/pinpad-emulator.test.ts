// PIN pad emulator over a real pty, driven by a scripted terminal end: replies, errors, own timeout, key memory, sim wiring.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptPin, nextKsn } from '../../firmware/crypto/dukpt';
import { FakeClock } from '../../firmware/common/clock';
import { silentLogger } from '../../firmware/log';
import { PinPadLink } from '../../firmware/hal/pinpad/pinpad-link';
import { ANY_REF, PadErrorCode, decodeMessage, encodeMessage, type PinPadMessage } from '../../firmware/hal/pinpad/pinpad-protocol';
import { SerialLine } from '../../firmware/hal/serial/serial-line';
import { EMULATOR_VERSION, startPinPadEmulator, type PinPadEmulator } from './pinpad-emulator';
import { formatAmount } from './pinpad-emulator-screen';
import { startEmulatedSerialPinPad } from './pinpad-emulator-pty';
import { createSerialPinPad } from '../../firmware/hal/pinpad/pinpad.serial';
import { createPtyPair, type PtyPair } from './pty-pair';
import { TEST_BDK, TEST_KEY } from '../../test/drivers/pinpad-serial-rig';

const PAN = '4761739001010010';
const ENTRY = { cmd: 'pinEntry', pan: PAN, label: 'SALE', minLength: 4, maxLength: 12, allowBypass: false, timeoutMs: 10000 } as const;

let dir: string;
let pair: PtyPair;
let pad: PinPadEmulator;
let terminal: { send(m: PinPadMessage): Promise<void>; next(): Promise<PinPadMessage>; raw(body: Buffer): Promise<void>; close(): Promise<void> };

/** The terminal end as a bare link: sends messages, queues what the pad says. */
async function openTerminal(path: string) {
  const inbox: PinPadMessage[] = [];
  const wakers: Array<() => void> = [];
  const link: PinPadLink = new PinPadLink({
    write: (b) => void line.write(b).catch(() => undefined),
    onBody: (body) => {
      inbox.push(decodeMessage(body));
      wakers.splice(0).forEach((w) => w());
    },
    ackTimeoutMs: 250,
    retries: 3,
  });
  const line = new SerialLine({ path, baudRate: 115200, reconnectMs: 100, log: silentLogger });
  line.onData((c) => link.receive(c));
  await line.open();
  return {
    send: (m: PinPadMessage) => link.send(encodeMessage(m)),
    raw: (body: Buffer) => link.send(body),
    next: async () => {
      for (let i = 0; i < 50 && inbox.length === 0; i++) await new Promise<void>((r) => (wakers.push(r), setTimeout(r, 100)));
      const m = inbox.shift();
      if (!m) throw new Error('the pad said nothing');
      return m;
    },
    close: () => (link.reset(), line.close()),
  };
}

async function start(stateFile?: string, key = TEST_KEY, clock?: FakeClock) {
  pad = await startPinPadEmulator({ path: pair.b, key, log: silentLogger, ackTimeoutMs: 250, ...(stateFile ? { stateFile } : {}), ...(clock ? { clock } : {}) });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-pinpad-emu-'));
  pair = await createPtyPair(dir);
  terminal = await openTerminal(pair.a);
});
afterEach(async () => {
  await terminal.close();
  await pad?.close();
  await pair.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PIN pad emulator: requests (the pad on a FakeClock)', () => {
  let padClock: FakeClock;
  beforeEach(() => start(undefined, TEST_KEY, (padClock = new FakeClock())));

  it('answers STATUS and ECHO', async () => {
    await terminal.send({ cmd: 'status', ref: 10 });
    expect(await terminal.next()).toEqual({ cmd: 'statusReply', ref: 10, state: 'idle', scheme: 'tdes', ksn: TEST_KEY.ksn, version: EMULATOR_VERSION });
    await terminal.send({ cmd: 'echo', ref: 11, data: Buffer.from('02030615', 'hex') });
    expect(await terminal.next()).toEqual({ cmd: 'echoReply', ref: 11, data: Buffer.from('02030615', 'hex') });
  });

  it('answers BUSY to a second PIN_ENTRY or a LOAD_KEY while prompting, and reports the first entry when it ends', async () => {
    await terminal.send({ ...ENTRY, ref: 20 });
    await terminal.send({ ...ENTRY, ref: 21 });
    expect(await terminal.next()).toMatchObject({ cmd: 'error', ref: 21, code: PadErrorCode.BUSY });
    await terminal.send({ cmd: 'loadKey', ref: 22, ...TEST_KEY });
    expect(await terminal.next()).toMatchObject({ cmd: 'error', ref: 22, code: PadErrorCode.BUSY });
    await terminal.send({ cmd: 'status', ref: 23 });
    expect(await terminal.next()).toMatchObject({ cmd: 'statusReply', state: 'prompting' });
    await pad.enterPin('7777');
    const r = await terminal.next();
    expect(r).toMatchObject({ cmd: 'pinResult', ref: 20, status: 'pin', format: 0 });
    if (r.cmd !== 'pinResult' || r.status !== 'pin') return;
    expect(decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 0 })).toBe('7777');
  });

  it('cancels only the entry named (or any entry for REF 0)', async () => {
    await terminal.send({ ...ENTRY, ref: 30 });
    await terminal.send({ cmd: 'pinCancel', ref: 99 });
    await terminal.send({ cmd: 'status', ref: 31 });
    expect(await terminal.next()).toMatchObject({ cmd: 'statusReply', ref: 31, state: 'prompting' });
    await terminal.send({ cmd: 'pinCancel', ref: ANY_REF });
    expect(await terminal.next()).toEqual({ cmd: 'pinResult', ref: 30, status: 'cancelled' });
    expect(pad.screen()).toEqual({ prompting: false, lines: ['READY'] });
  });

  it('times out on its own after the requested timeout', async () => {
    await terminal.send({ ...ENTRY, ref: 40, timeoutMs: 100 }); // resolves on the pad's ACK: it is prompting now
    expect(pad.screen().prompting).toBe(true);
    await padClock.advance(100);
    expect(await terminal.next()).toEqual({ cmd: 'pinResult', ref: 40, status: 'timeout' });
  });

  it('answers ERROR to unknown commands, malformed requests and replies sent to it', async () => {
    await terminal.raw(Buffer.from('550041', 'hex'));
    expect(await terminal.next()).toMatchObject({ cmd: 'error', ref: 0x41, code: PadErrorCode.UNKNOWN_COMMAND });
    await terminal.raw(Buffer.from('100042' + '0103414243', 'hex'));
    expect(await terminal.next()).toMatchObject({ cmd: 'error', ref: 0x42, code: PadErrorCode.BAD_FIELD });
    await terminal.send({ cmd: 'pinResult', ref: 0x43, status: 'bypass' });
    expect(await terminal.next()).toMatchObject({ cmd: 'error', ref: 0x43, code: PadErrorCode.UNKNOWN_COMMAND, text: 'pinResult is not a request' });
  });
});

describe('PIN pad emulator: keys', () => {
  it('refuses to prompt when the KSN counter is exhausted', async () => {
    const last = { ...TEST_KEY, ksn: Buffer.from('FFFF9876543210FFF800', 'hex') };
    expect(() => nextKsn(last.ksn, 'tdes')).toThrow();
    await start(undefined, last);
    await terminal.send({ ...ENTRY, ref: 50 });
    expect(await terminal.next()).toMatchObject({ cmd: 'error', ref: 50, code: PadErrorCode.KEY_EXHAUSTED, text: 'exhausted' });
    expect(pad.screen().prompting).toBe(false);
  });

  it('keeps the key and KSN counter in its state file across restarts; the file wins over the factory key', async () => {
    const stateFile = join(dir, 'pad', 'keys.json');
    await start(stateFile);
    await terminal.send({ ...ENTRY, ref: 60 });
    await pad.enterPin('1234');
    expect(await terminal.next()).toMatchObject({ ksn: Buffer.from('FFFF9876543210E00001', 'hex') });
    await pad.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ scheme: 'tdes', initialKey: '6ac292faa1315b4d858ab3a3d7d5933a', ksn: 'ffff9876543210e00001' });
    await start(stateFile, { ...TEST_KEY, ksn: Buffer.from('00000000000000000000', 'hex') });
    await terminal.send({ ...ENTRY, ref: 61 });
    await pad.enterPin('1234');
    expect(await terminal.next()).toMatchObject({ ksn: Buffer.from('FFFF9876543210E00002', 'hex') });
  });
});

describe('PIN pad emulator: screen', () => {
  it('formats amounts with the currency decimals', () => {
    expect(formatAmount(12345, 'CNY')).toBe('CNY 123.45');
    expect(formatAmount(5, 'USD')).toBe('USD 0.05');
    expect(formatAmount(500, 'JPY')).toBe('JPY 500');
    expect(formatAmount(1234, 'KWD')).toBe('KWD 1.234');
  });
});

describe('startEmulatedSerialPinPad (posfw sim wiring)', () => {
  beforeEach(() => start());

  it('makes the board path a pty whose other end is the emulator', async () => {
    const config = { driver: 'serial' as const, path: join(dir, 'ttyPINPAD'), baudRate: 9600, reconnectMs: 200, ackTimeoutMs: 500, retries: 3, emulate: { scheme: 'tdes' as const, initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' } };
    const sim = await startEmulatedSerialPinPad(config, silentLogger, join(dir, 'emu.json'));
    const device = createSerialPinPad(config, { log: silentLogger });
    try {
      await device.open();
      const pending = device.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: false });
      await sim.emulator.enterPin('5555');
      const r = await pending;
      expect(r.kind).toBe('pin');
      if (r.kind === 'pin') expect(decryptPin({ bdk: TEST_BDK, ksn: r.ksn, pinBlock: r.pinBlock, pan: PAN, format: 0 })).toBe('5555');
      expect(sim.pair.a).toBe(config.path);
    } finally {
      await device.close();
      await sim.close();
    }
  });

  it('refuses a config without an emulate section', async () => {
    await expect(startEmulatedSerialPinPad({ driver: 'serial', path: join(dir, 'x'), baudRate: 9600, reconnectMs: 200, ackTimeoutMs: 500, retries: 3 }, silentLogger)).rejects.toThrow(/no "emulate" section/);
  });
});

it('refuses a state file that is not JSON', async () => {
  const stateFile = join(dir, 'bad.json');
  writeFileSync(stateFile, 'not json');
  expect(() => startPinPadEmulator({ path: pair.b, key: TEST_KEY, log: silentLogger, stateFile })).toThrow(SyntaxError);
});
