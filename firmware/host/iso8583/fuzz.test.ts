// Bounded fuzz test: 20,000 random and mutated buffers (seeded PRNG); unpack only ever returns a message or throws IsoError.
import { join } from 'node:path';
import { defaultSpec, Iso8583Codec, IsoError, loadSpec, type IsoMessage } from './index';
import { mulberry32 as prng } from '../../common/prng';

function mutate(seed: Buffer, rnd: () => number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const b = Buffer.from(seed);
  switch (int(7)) {
    case 0: // flip 1-4 bits
      for (let i = 1 + int(4); i > 0 && b.length; i--) b[int(b.length)] ^= 1 << int(8);
      return b;
    case 1: // replace 1-3 bytes
      for (let i = 1 + int(3); i > 0 && b.length; i--) b[int(b.length)] = int(256);
      return b;
    case 2: // truncate
      return b.subarray(0, int(b.length + 1));
    case 3: // append junk
      return Buffer.concat([b, Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256)))]);
    case 4: {
      // delete one byte
      const at = int(b.length);
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    }
    case 5: {
      // insert one byte
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from([int(256)]), b.subarray(at)]);
    }
    default: // random bitmap under the original MTI
      for (let i = 2; i < Math.min(b.length, 20); i++) b[i] = int(256);
      return b;
  }
}

function randomBytes(rnd: () => number): Buffer {
  return Buffer.from(Array.from({ length: Math.floor(rnd() * 120) }, () => Math.floor(rnd() * 256)));
}

interface Tally {
  ok: number;
  errors: number;
}

/** Runs `count` cases; every outcome must be a message that re-packs identically or an IsoError. */
function fuzz(codec: Iso8583Codec, seeds: IsoMessage[], count: number, seed: number): Tally {
  const rnd = prng(seed);
  const packed = seeds.map((m) => codec.pack(m));
  const tally: Tally = { ok: 0, errors: 0 };
  for (let i = 0; i < count; i++) {
    const input = rnd() < 0.25 ? randomBytes(rnd) : mutate(packed[Math.floor(rnd() * packed.length)], rnd);
    let message: IsoMessage;
    try {
      message = codec.unpack(input);
    } catch (err) {
      if (!(err instanceof IsoError)) throw new Error(`case ${i} (${input.toString('hex')}): unpack threw ${String(err)}`);
      if (typeof err.expected !== 'string' || err.expected.length === 0) throw new Error(`case ${i}: IsoError without "expected"`);
      if (err.offset !== undefined && !(Number.isInteger(err.offset) && err.offset >= 0 && err.offset <= input.length)) {
        throw new Error(`case ${i}: offset ${err.offset} outside the ${input.length}-byte input`);
      }
      tally.errors++;
      continue;
    }
    // Whatever unpack accepts, pack accepts, and the result reads back the same.
    const again = codec.unpack(codec.pack(message));
    if (JSON.stringify(again) !== JSON.stringify(message)) throw new Error(`case ${i}: re-pack changed the message`);
    tally.ok++;
  }
  return tally;
}

const cardSale: IsoMessage = {
  mti: '0200',
  fields: {
    2: '4761739001010119',
    3: '000000',
    4: '000000001234',
    11: '000042',
    14: '2212',
    35: '4761739001010119D22122011758928889',
    41: 'TERM0001',
    42: 'MERCHANT0000001',
    49: '156',
    52: Buffer.from('0123456789ABCDEF', 'hex'),
    53: Buffer.from('FFFF9876543210E00001', 'hex'),
    62: 'ECR-20240611-000042',
  },
};
const signOn: IsoMessage = { mti: '0800', fields: { 11: '000001', 41: 'TERM0001', 70: '001', 128: Buffer.alloc(8, 0x5a) } };
const response: IsoMessage = { mti: '0210', fields: { 3: '310000', 4: '000000001234', 37: '123456789012', 38: 'AB12CD', 39: '00', 54: '1001156C000000050000' } };

const asciiResponse: IsoMessage = { mti: '0210', fields: { 3: '000000', 4: '000000001234', 32: '12345', 37: '123456789012', 39: '00', 48: 'PRIVATE DATA' } };

test('default spec: 12,000 random and mutated buffers', () => {
  const codec = new Iso8583Codec(defaultSpec);
  const tally = fuzz(codec, [cardSale, signOn, response, { mti: '0400', fields: { ...cardSale.fields, 90: '0200000042061109301500000012345000000000' + '00' } }], 12000, 0x8583);
  expect(tally.ok + tally.errors).toBe(12000);
  expect(tally.ok).toBeGreaterThan(100);
  expect(tally.errors).toBeGreaterThan(5000);
});

test('ASCII spec (ASCII MTI, hex bitmap, ASCII prefixes): 8,000 random and mutated buffers', () => {
  const codec = new Iso8583Codec(loadSpec(join(__dirname, 'fixtures', 'ascii-spec.json')));
  const tally = fuzz(codec, [{ mti: '0200', fields: { ...cardSale.fields, 53: Buffer.from('FFFF98', 'hex'), 55: Buffer.from('9F2701', 'hex') } }, signOn, asciiResponse], 8000, 0x2024);
  expect(tally.ok + tally.errors).toBe(8000);
  expect(tally.ok).toBeGreaterThan(100);
  expect(tally.errors).toBeGreaterThan(3000);
});
