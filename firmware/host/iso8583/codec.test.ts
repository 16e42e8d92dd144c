// Message-level tests of the ISO 8583 codec on the default spec: MTI, bitmaps, exact bytes, round trips, errors, describe.
import { defaultSpec, Iso8583Codec, IsoError, IsoSpecError, type IsoMessage } from './index';

const codec = new Iso8583Codec(defaultSpec);
const hex = (b: Buffer) => b.toString('hex').toUpperCase();

function unpackError(bytes: string | Buffer): IsoError {
  const r = codec.tryUnpack(typeof bytes === 'string' ? Buffer.from(bytes, 'hex') : bytes);
  if (r.ok) throw new Error('expected an error');
  expect(r.error).toBeInstanceOf(IsoError);
  return r.error;
}

function packError(msg: unknown): IsoError {
  try {
    codec.pack(msg as IsoMessage);
  } catch (err) {
    expect(err).toBeInstanceOf(IsoError);
    return err as IsoError;
  }
  throw new Error('expected an error');
}

/** A card sale with a secondary-bitmap field (test card data). */
const sale: IsoMessage = {
  mti: '0200',
  fields: {
    2: '4761739001010119',
    3: '000000',
    4: '000000001000',
    11: '000123',
    35: '4761739001010119D22122011758928889',
    41: 'TERM0001',
    42: 'MERCHANT0000001',
    52: Buffer.from('0123456789ABCDEF', 'hex'),
    62: 'ECR-REF-1',
    128: Buffer.alloc(8, 1),
  },
};
const SALE_HEX =
  '0200' +
  'F020000020C01004' + // primary: 1 (secondary), 2, 3, 4, 11, 35, 41, 42, 52, 62
  '0000000000000001' + // secondary: 128
  '16' + '4761739001010119' +
  '000000' +
  '000000001000' +
  '000123' +
  '34' + '4761739001010119D22122011758928889' +
  '5445524D30303031' +
  '4D45524348414E5430303030303031' +
  '08' + '0123456789ABCDEF' +
  '0009' + '4543522D5245462D31' +
  '0101010101010101';

describe('MTI and bitmaps', () => {
  test('BCD MTI and a primary bitmap only', () => {
    expect(hex(codec.pack({ mti: '0200', fields: { 3: '000000', 4: '000000001234', 11: '000042' } }))).toBe(
      '0200' + '3020000000000000' + '000000' + '000000001234' + '000042',
    );
  });

  test('a field above 64 adds the secondary bitmap and sets bit 1', () => {
    expect(hex(codec.pack({ mti: '0800', fields: { 70: '301' } }))).toBe('0800' + '8000000000000000' + '0400000000000000' + '0301');
    expect(codec.unpack(Buffer.from('080080000000000000000400000000000000' + '0301', 'hex'))).toEqual({ mti: '0800', fields: { 70: '301' } });
  });

  test('a message with no fields is MTI and an empty primary bitmap', () => {
    expect(hex(codec.pack({ mti: '0800', fields: {} }))).toBe('08000000000000000000');
    expect(codec.unpack(Buffer.from('08000000000000000000', 'hex'))).toEqual({ mti: '0800', fields: {} });
  });

  test('bad MTI on pack', () => {
    expect(packError({ mti: '200', fields: {} }).message).toBe('MTI: expected 4 digits, got "200"');
    expect(packError({ mti: '02A0', fields: {} }).message).toBe('MTI: expected 4 digits, got "02A0"');
  });

  test('bad or short MTI and bitmaps on unpack', () => {
    expect(unpackError('02').message).toBe('MTI at byte 0: expected 2 BCD bytes, got 1');
    expect(unpackError('2A00' + '00'.repeat(8)).message).toBe('MTI at byte 0: expected BCD digits 0-9, got 0x2A');
    expect(unpackError('0200' + '3020').message).toBe('primary bitmap at byte 2: expected 8 binary bytes, got 2');
    expect(unpackError('0200' + '8000000000000000' + '0400').message).toBe('secondary bitmap at byte 10: expected 8 binary bytes, got 2');
  });
});

describe('a typical 0200', () => {
  test('packs to the exact bytes', () => {
    expect(hex(codec.pack(sale))).toBe(SALE_HEX);
  });

  test('unpacks back to the same message', () => {
    expect(codec.unpack(Buffer.from(SALE_HEX, 'hex'))).toEqual(sale);
  });

  test('accepts a Uint8Array', () => {
    expect(codec.unpack(new Uint8Array(Buffer.from(SALE_HEX, 'hex')) as Buffer)).toEqual(sale);
  });

  test('fields with undefined values are absent', () => {
    expect(hex(codec.pack({ mti: '0200', fields: { 3: '000000', 4: undefined as unknown as string } }))).toBe('0200' + '2000000000000000' + '000000');
  });
});

describe('round trip of every field of the default spec', () => {
  const sample: Record<number, string | Buffer> = {};
  for (const [key, fs] of Object.entries(defaultSpec.fields)) {
    const n = Number(key);
    const len = fs.lengthType === 'fixed' ? fs.length : Math.min(fs.length, 21);
    if (fs.type === 'b') sample[n] = Buffer.from(Array.from({ length: len }, (_, i) => (i * 37 + n) & 255));
    else if (fs.type === 'n') sample[n] = Array.from({ length: len }, (_, i) => String((i + n) % 10)).join('');
    else if (fs.type === 'z') sample[n] = '4761739001010119D2212';
    else if (fs.type === 'an') sample[n] = 'AB 12CD 34EF 56'.slice(0, len).padEnd(len, 'Z');
    else sample[n] = '~!@ ans "text" {ok}'.repeat(3).slice(0, len).padEnd(len, '#');
  }

  test('all fields at once', () => {
    const msg = { mti: '0210', fields: sample };
    const bytes = codec.pack(msg);
    expect(codec.unpack(bytes)).toEqual(msg);
  });

  test.each(Object.keys(defaultSpec.fields).map(Number))('field %i alone', (n) => {
    const msg = { mti: '0200', fields: { [n]: sample[n] } };
    expect(codec.unpack(codec.pack(msg))).toEqual(msg);
  });

  test('short fixed values come back padded', () => {
    const back = codec.unpack(codec.pack({ mti: '0200', fields: { 4: '1000', 41: 'T1', 42: 'M1' } }));
    expect(back.fields).toEqual({ 4: '000000001000', 41: 'T1      ', 42: 'M1             ' });
  });
});

describe('pack errors', () => {
  test('a field the spec does not define', () => {
    const e = packError({ mti: '0200', fields: { 5: '000000001000' } });
    expect(e.message).toBe('field 5: expected a field defined in spec "posfw-default", got a value for an undefined field');
    expect(e.field).toBe(5);
  });

  test('a bad value names its field', () => {
    expect(packError({ mti: '0200', fields: { 4: '12.50' } }).message).toBe('field 4: expected digits (n), got "." at position 2');
    expect(packError({ mti: '0200', fields: { 2: '47617390010101191234' } }).message).toBe('field 2: expected at most 19 digits, got 20');
    expect(packError({ mti: '0200', fields: { 52: '0123456789ABCDEF' } }).message).toBe('field 52: expected a Buffer (b), got a string');
    expect(packError({ mti: '0200', fields: { 41: 'TERMINAL1' } }).message).toBe('field 41: expected at most 8 characters, got 9');
  });

  test('fields 0 and 1 are not data fields', () => {
    expect(packError({ mti: '0200', fields: { 1: 'x' } }).message).toBe(
      'field 1: expected data fields 2-128 (the MTI and bitmaps are not set as fields), got a value',
    );
  });

  test('not an object', () => {
    expect(packError(null).message).toBe('message: expected an object { mti, fields }, got null');
    expect(packError({ mti: '0200' }).message).toBe('message: expected fields as an object, got undefined');
  });
});

describe('unpack errors name field and byte offset', () => {
  const saleBytes = Buffer.from(SALE_HEX, 'hex');

  test('truncated message', () => {
    // field 4 starts at byte 2 + 16 + 9 + 3 = 30
    const e = unpackError(saleBytes.subarray(0, 32));
    expect(e.message).toBe('field 4 at byte 30: expected 6 BCD bytes, got 2');
    expect([e.field, e.offset]).toEqual([4, 30]);
  });

  test('bad BCD nibble', () => {
    const bad = Buffer.from(saleBytes);
    bad[31] = 0x0b;
    expect(unpackError(bad).message).toBe('field 4 at byte 31: expected BCD digits 0-9, got 0x0B');
  });

  test('length prefix above the field maximum', () => {
    const bad = Buffer.from(saleBytes);
    bad[18] = 0x20; // field 2 prefix: 20 > 19
    const e = unpackError(bad);
    expect(e.message).toBe('field 2 at byte 18: expected length at most 19 digits, got 20');
    expect(e.field).toBe(2);
  });

  test('field present in the bitmap but not in the spec', () => {
    const e = unpackError('0200' + '0800000000000000' + '000000001000'); // bit 5
    expect(e.message).toBe('field 5 at byte 10: expected a field defined in spec "posfw-default", got bit 5 set in the bitmap');
    expect([e.field, e.offset]).toEqual([5, 10]);
  });

  test('bytes left after the last field', () => {
    expect(unpackError(SALE_HEX + 'FFFF').message).toBe(`message at byte ${saleBytes.length}: expected end of message, got 2 more bytes`);
  });

  test('not a Buffer', () => {
    const r = codec.tryUnpack('0200' as unknown as Buffer);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toBe('message: expected a Buffer, got a string');
  });
});

describe('describe', () => {
  const withExpiry: IsoMessage = { mti: sale.mti, fields: { ...sale.fields, 14: '2212', 53: Buffer.from('FFFF9876543210E00001', 'hex') } };

  test('masks the PAN and redacts track data, expiry and the PIN block', () => {
    const view = codec.describe(withExpiry);
    expect(view.mti).toBe('0200');
    expect(view.fields).toMatchObject({
      2: { name: 'Primary account number', value: '476173******0119' },
      14: { name: 'Date, expiration', value: '[REDACTED 2 bytes]' },
      35: { name: 'Track 2 data', value: '[REDACTED 17 bytes]' },
      52: { name: 'PIN block', value: '[REDACTED 8 bytes]' },
      53: { name: 'Security control information (KSN)', value: 'FFFF9876543210E00001' },
      4: { name: 'Amount, transaction', value: '000000001000' },
      128: { name: 'Message authentication code (secondary)', value: '0101010101010101' },
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain('4761739001010119');
    expect(text).not.toContain('0123456789ABCDEF');
    expect(text).not.toContain('2212');
  });

  test('reveal shows everything', () => {
    expect(codec.describe(withExpiry, { reveal: true }).fields).toMatchObject({
      2: { value: '4761739001010119' },
      14: { value: '2212' },
      35: { value: '4761739001010119D22122011758928889' },
      52: { value: '0123456789ABCDEF' },
    });
  });

  test('never throws on odd input and keeps unknown fields safe', () => {
    const odd = { mti: 200, fields: { 2: 4761739001010119, 5: '4761739001010119', 99: Buffer.alloc(8) } } as unknown as IsoMessage;
    expect(codec.describe(odd)).toEqual({
      mti: '[invalid: a number]',
      fields: {
        2: { name: 'Primary account number', value: '[REDACTED]' },
        5: { name: 'unknown field', value: '476173******0119' },
        99: { name: 'unknown field', value: '[8 bytes]' },
      },
    });
  });
});

describe('spec validation in the constructor', () => {
  test('throws IsoSpecError naming the spec and the path', () => {
    const bad = { ...defaultSpec, fields: { ...defaultSpec.fields, 52: { ...defaultSpec.fields[52], encoding: 'bcd' as const } } };
    expect(() => new Iso8583Codec(bad)).toThrow(IsoSpecError);
    expect(() => new Iso8583Codec(bad)).toThrow('spec "posfw-default": invalid ISO 8583 spec\n  - $.fields.52.encoding: expected "binary" or "ascii" for type "b", got "bcd"');
  });
});
