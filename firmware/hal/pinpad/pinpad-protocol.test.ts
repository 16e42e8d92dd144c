// Exact-byte tests for PIN pad messages: every command's layout, round trips and protocol violations.
import { decodeMessage, encodeMessage, withSeq, type PinPadMessage } from './pinpad-protocol';
import { encodeFrame } from './pinpad-protocol-frame';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const PAN = '4761739001010010';

const ENTRY: PinPadMessage = {
  cmd: 'pinEntry',
  ref: 1,
  pan: PAN,
  amount: { minor: 12345, currency: 'CNY' },
  label: 'SALE',
  minLength: 4,
  maxLength: 12,
  allowBypass: true,
  timeoutMs: 60000,
};
const ENTRY_BYTES = hex(
  '10 0001' +
    `01 10 ${ascii(PAN)}` +
    '02 06 000000003039' +
    `03 03 ${ascii('CNY')}` +
    `04 04 ${ascii('SALE')}` +
    '05 01 04  06 01 0c  07 01 01' +
    '08 04 0000ea60',
);
const BLOCK = hex('1122334455667788');
const KSN = hex('ffff9876543210e00001');

describe('PIN pad messages: exact bytes', () => {
  it('PIN_ENTRY request', () => {
    expect(encodeMessage(ENTRY)).toEqual(ENTRY_BYTES);
    expect(decodeMessage(ENTRY_BYTES)).toEqual(ENTRY);
  });

  it('PIN_ENTRY without an amount, with a UTF-8 label', () => {
    const m: PinPadMessage = { ...ENTRY, amount: undefined, label: '消费', allowBypass: false, minLength: 6, maxLength: 6, timeoutMs: 30000 };
    delete (m as { amount?: unknown }).amount;
    const bytes = hex(`10 0001 01 10 ${ascii(PAN)} 04 06 e6b688e8b4b9 05 01 06 06 01 06 07 01 00 08 04 00007530`);
    expect(encodeMessage(m)).toEqual(bytes);
    expect(decodeMessage(bytes)).toEqual(m);
  });

  it('PIN_RESULT with a PIN block, and without', () => {
    const pin: PinPadMessage = { cmd: 'pinResult', ref: 0xbeef, status: 'pin', format: 0, pinBlock: BLOCK, ksn: KSN };
    const pinBytes = hex('11 beef 10 01 00 11 01 00 12 08 1122334455667788 13 0a ffff9876543210e00001');
    expect(encodeMessage(pin)).toEqual(pinBytes);
    expect(decodeMessage(pinBytes)).toEqual(pin);
    expect(encodeMessage({ cmd: 'pinResult', ref: 2, status: 'bypass' })).toEqual(hex('11 0002 10 01 01'));
    expect(encodeMessage({ cmd: 'pinResult', ref: 2, status: 'cancelled' })).toEqual(hex('11 0002 10 01 02'));
    expect(encodeMessage({ cmd: 'pinResult', ref: 2, status: 'timeout' })).toEqual(hex('11 0002 10 01 03'));
  });

  it('PIN_CANCEL, STATUS and their replies', () => {
    expect(encodeMessage({ cmd: 'pinCancel', ref: 0 })).toEqual(hex('12 0000'));
    expect(encodeMessage({ cmd: 'status', ref: 0x1234 })).toEqual(hex('30 1234'));
    const reply: PinPadMessage = { cmd: 'statusReply', ref: 0x1234, state: 'prompting', scheme: 'aes128', ksn: hex('00112233445566778899aabb'), version: 'v1' };
    const bytes = hex(`31 1234 30 01 01 20 01 01 13 0c 00112233445566778899aabb 31 02 ${ascii('v1')}`);
    expect(encodeMessage(reply)).toEqual(bytes);
    expect(decodeMessage(bytes)).toEqual(reply);
  });

  it('LOAD_KEY and KEY_LOADED', () => {
    const ik = hex('6ac292faa1315b4d858ab3a3d7d5933a');
    const load: PinPadMessage = { cmd: 'loadKey', ref: 7, scheme: 'tdes', initialKey: ik, ksn: hex('ffff9876543210e00000') };
    const bytes = hex('20 0007 20 01 00 21 10 6ac292faa1315b4d858ab3a3d7d5933a 13 0a ffff9876543210e00000');
    expect(encodeMessage(load)).toEqual(bytes);
    expect(decodeMessage(bytes)).toEqual(load);
    expect(encodeMessage({ cmd: 'keyLoaded', ref: 7, ksn: hex('ffff9876543210e00000') })).toEqual(hex('21 0007 13 0a ffff9876543210e00000'));
  });

  it('ECHO and ERROR', () => {
    expect(encodeMessage({ cmd: 'echo', ref: 3, data: hex('0615') })).toEqual(hex('32 0003 32 02 0615'));
    expect(encodeMessage({ cmd: 'echoReply', ref: 3, data: Buffer.alloc(0) })).toEqual(hex('33 0003 32 00'));
    const err = hex(`7f 0005 40 01 03 41 04 ${ascii('busy')}`);
    expect(encodeMessage({ cmd: 'error', ref: 5, code: 3, text: 'busy' })).toEqual(err);
    expect(decodeMessage(err)).toEqual({ cmd: 'error', ref: 5, code: 3, text: 'busy' });
  });

  it('puts SEQ first in the frame payload', () => {
    expect(encodeFrame(withSeq(0, encodeMessage({ cmd: 'status', ref: 0x1234 })))).toEqual(hex('02 0004 00 30 1234 03 11'));
  });

  it('ignores unknown tags (room for later fields)', () => {
    expect(decodeMessage(hex('11 0002 10 01 01 7e 02 abcd'))).toEqual({ cmd: 'pinResult', ref: 2, status: 'bypass' });
  });
});

describe('PIN pad messages: violations', () => {
  const violation = (bytes: string, message: RegExp, ref?: number) => {
    let thrown: unknown;
    try {
      decodeMessage(hex(bytes));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ name: 'ProtocolViolation', ref });
    expect((thrown as Error).message).toMatch(message);
  };

  it('names what is wrong and keeps the REF when readable', () => {
    violation('11 00', /at least 3 bytes/);
    violation('55 0009', /unknown command 0x55/, 9);
    violation('11 0002', /missing status/, 2);
    violation('11 0002 10 01 09', /status 9 is not one of 0-3/, 2);
    violation('11 0002 10 01 00 11 01 00 12 10 00112233445566778899aabbccddeeff 13 0a ffff9876543210e00001', /PIN block must be 8 bytes, got 16/, 2);
    violation('11 0002 10 01 00 11 01 01 12 08 0011223344556677 13 0a ffff9876543210e00001', /format 1 is not 0 or 4/, 2);
    violation('11 0002 10 01 01 10 01 01', /repeated/, 2);
    violation('11 0002 10 05 01', /runs past the payload/, 2);
    violation('11 0002 10', /cut short/, 2);
    violation(`10 0001 01 03 ${ascii('abc')}`, /PIN length|min length/, 1);
    violation('20 0007 20 01 00 21 10 6ac292faa1315b4d858ab3a3d7d5933a 13 0c 00112233445566778899aabb', /KSN must be 10 bytes/, 7);
  });

  it('refuses a PIN length range outside 4-12 and a non-digit PAN', () => {
    const bad = Buffer.from(ENTRY_BYTES);
    bad[bad.indexOf(hex('050104')) + 2] = 3;
    expect(() => decodeMessage(bad)).toThrow(/3-12 is outside 4-12/);
    const pan = Buffer.from(ENTRY_BYTES);
    pan[5] = 0x41;
    expect(() => decodeMessage(pan)).toThrow(/PAN is malformed/);
  });

  it('refuses an encode with an out-of-range REF', () => {
    expect(() => encodeMessage({ cmd: 'status', ref: 0x10000 })).toThrow(/REF must be 0-65535/);
  });
});
