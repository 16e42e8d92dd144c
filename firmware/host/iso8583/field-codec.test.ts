// Exact-byte tests of single ISO 8583 fields: each type, encoding, length type, prefix encoding and odd-length BCD padding.
import { IsoError } from './errors';
import { FieldCodec } from './field-codec';
import type { FieldSpec } from './spec-types';

type Shape = Omit<FieldSpec, 'name'>;

function codec(shape: Shape, field = 9): FieldCodec {
  return new FieldCodec(field, { name: 'test field', ...shape });
}

/** Packs one value; checks size() and write() agree; returns upper-case hex. */
function enc(c: FieldCodec, value: string | Buffer): string {
  const buf = Buffer.alloc(c.size(value));
  expect(c.write(value, buf, 0)).toBe(buf.length);
  return buf.toString('hex').toUpperCase();
}

/** Reads one value from hex, checking every byte was consumed. */
function dec(c: FieldCodec, hex: string): string | Buffer {
  const buf = Buffer.from(hex, 'hex');
  const cur = { pos: 0 };
  const value = c.read(buf, cur, buf.length);
  expect(cur.pos).toBe(buf.length);
  return value;
}

function readError(c: FieldCodec, hex: string): IsoError {
  const buf = Buffer.from(hex, 'hex');
  try {
    c.read(buf, { pos: 0 }, buf.length);
  } catch (err) {
    expect(err).toBeInstanceOf(IsoError);
    return err as IsoError;
  }
  throw new Error('expected an IsoError');
}

const nFixedBcd: Shape = { type: 'n', encoding: 'bcd', lengthType: 'fixed', length: 6 };
const nOddBcd: Shape = { type: 'n', encoding: 'bcd', lengthType: 'fixed', length: 3, pad: { side: 'left', char: '0' } };
const panLL: Shape = { type: 'n', encoding: 'bcd', lengthType: 'llvar', length: 19, prefix: 'bcd', pad: { side: 'left', char: '0' } };
const track2: Shape = { type: 'z', encoding: 'bcd', lengthType: 'llvar', length: 37, prefix: 'bcd', pad: { side: 'right', char: 'F' } };

describe('exact bytes per field shape', () => {
  test.each<[string, Shape, string | Buffer, string]>([
    ['n fixed BCD, even length', nFixedBcd, '123456', '123456'],
    ['n fixed BCD, odd length padded left with 0', nOddBcd, '021', '0021'],
    ['n fixed BCD, odd length padded right with F', { ...nOddBcd, pad: { side: 'right', char: 'F' } }, '021', '021F'],
    ['n fixed BCD, short value padded left to its length', { ...nFixedBcd, length: 12, pad: { side: 'left', char: '0' } }, '1234', '000000001234'],
    ['n fixed ASCII', { type: 'n', encoding: 'ascii', lengthType: 'fixed', length: 3 }, '021', '303231'],
    ['n LLVAR BCD, BCD prefix', panLL, '4761739001010119', '164761739001010119'],
    ['n LLVAR BCD, BCD prefix, odd length padded left', panLL, '4761739001010119123', '1904761739001010119123'],
    ['n LLVAR BCD, ASCII prefix', { ...panLL, prefix: 'ascii' }, '12345', '3035012345'],
    ['n LLVAR ASCII, ASCII prefix', { type: 'n', encoding: 'ascii', lengthType: 'llvar', length: 19, prefix: 'ascii' }, '12345', '30353132333435'],
    ['n LLLVAR BCD, BCD prefix (2 bytes)', { ...panLL, lengthType: 'lllvar', length: 999 }, '12345', '0005012345'],
    ['n LLVAR empty value', panLL, '', '00'],
    ['an fixed, padded right with spaces', { type: 'an', encoding: 'ascii', lengthType: 'fixed', length: 6, pad: { side: 'right', char: ' ' } }, 'AB12', '414231322020'],
    ['ans fixed, exact length', { type: 'ans', encoding: 'ascii', lengthType: 'fixed', length: 8 }, 'TERM-01!', '5445524D2D303121'],
    ['ans LLVAR, BCD prefix', { type: 'ans', encoding: 'ascii', lengthType: 'llvar', length: 25, prefix: 'bcd' }, 'APPROVED', '08415050524F564544'],
    ['ans LLLVAR, BCD prefix', { type: 'ans', encoding: 'ascii', lengthType: 'lllvar', length: 999, prefix: 'bcd' }, 'ECR-1', '00054543522D31'],
    ['ans LLLVAR, ASCII prefix', { type: 'ans', encoding: 'ascii', lengthType: 'lllvar', length: 999, prefix: 'ascii' }, 'ECR-1', '3030354543522D31'],
    ['z LLVAR BCD, even length, D separator', track2, '123456D2512101', '14123456D2512101'],
    ['z LLVAR BCD, odd length padded right with F', track2, '123456D251210', '13123456D251210F'],
    ['z LLVAR BCD, = written as D', track2, '123456=2512101', '14123456D2512101'],
    ['z LLVAR ASCII, ASCII prefix', { type: 'z', encoding: 'ascii', lengthType: 'llvar', length: 37, prefix: 'ascii' }, '123456=2512', '3131' + '313233343536' + '3D' + '32353132'],
    ['b fixed binary', { type: 'b', encoding: 'binary', lengthType: 'fixed', length: 8 }, Buffer.from('0123456789ABCDEF', 'hex'), '0123456789ABCDEF'],
    ['b LLVAR binary, BCD prefix counts bytes', { type: 'b', encoding: 'binary', lengthType: 'llvar', length: 48, prefix: 'bcd' }, Buffer.from('FFFF9876543210E00001', 'hex'), '10FFFF9876543210E00001'],
    ['b LLLVAR binary, BCD prefix', { type: 'b', encoding: 'binary', lengthType: 'lllvar', length: 255, prefix: 'bcd' }, Buffer.from('9F2701', 'hex'), '00039F2701'],
    ['b LLLVAR binary, ASCII prefix', { type: 'b', encoding: 'binary', lengthType: 'lllvar', length: 255, prefix: 'ascii' }, Buffer.from('9F2701', 'hex'), '3030339F2701'],
    ['b fixed as hex ASCII', { type: 'b', encoding: 'ascii', lengthType: 'fixed', length: 2 }, Buffer.from('01AB', 'hex'), '30314142'],
    ['b LLVAR as hex ASCII, prefix counts bytes', { type: 'b', encoding: 'ascii', lengthType: 'llvar', length: 48, prefix: 'ascii' }, Buffer.from('01AB', 'hex'), '303230314142'],
  ])('%s', (_name, shape, value, hex) => {
    const c = codec(shape);
    expect(enc(c, value)).toBe(hex);
    const expected = typeof value === 'string' ? value.replace('=', shape.encoding === 'bcd' ? 'D' : '=') : value;
    const back = dec(c, hex);
    if (shape.lengthType === 'fixed' && typeof expected === 'string' && expected.length < shape.length) {
      expect(back).toBe(shape.pad?.side === 'left' ? expected.padStart(shape.length, shape.pad.char) : expected.padEnd(shape.length, shape.pad?.char));
    } else {
      expect(back).toEqual(expected);
    }
  });

  test('prefix defaults: ASCII for ASCII fields, BCD otherwise', () => {
    expect(enc(codec({ type: 'ans', encoding: 'ascii', lengthType: 'llvar', length: 25 }), 'OK')).toBe('30324F4B');
    expect(enc(codec({ type: 'n', encoding: 'bcd', lengthType: 'llvar', length: 11 }), '123')).toBe('030123');
    expect(enc(codec({ type: 'b', encoding: 'binary', lengthType: 'llvar', length: 16 }), Buffer.from([0xab]))).toBe('01AB');
  });

  test('odd-length BCD without a pad spec pads left with 0', () => {
    expect(enc(codec({ type: 'n', encoding: 'bcd', lengthType: 'fixed', length: 3 }), '123')).toBe('0123');
  });

  test('reads hex-ASCII binary in lower case too', () => {
    expect(dec(codec({ type: 'b', encoding: 'ascii', lengthType: 'fixed', length: 2 }), '30316162')).toEqual(Buffer.from('01AB', 'hex'));
  });

  test('the BCD pad nibble is not checked on read', () => {
    expect(dec(codec(nOddBcd), 'F021')).toBe('021');
    expect(dec(codec(track2), '13123456D2512100')).toBe('123456D251210');
  });
});

describe('pack errors name the field and what was expected', () => {
  test.each<[string, Shape, unknown, string]>([
    ['letter in n', nFixedBcd, '12A456', 'field 9: expected digits (n), got "A" at position 2'],
    ['too long', panLL, '12345678901234567890', 'field 9: expected at most 19 digits, got 20'],
    ['short fixed value without pad', nFixedBcd, '1234', 'field 9: expected exactly 6 digits, got 4'],
    ['Buffer for n', nFixedBcd, Buffer.from('123456'), 'field 9: expected a string (n), got a Buffer'],
    ['number for n', nFixedBcd, 123456, 'field 9: expected a string (n), got a number'],
    ['string for b', { type: 'b', encoding: 'binary', lengthType: 'fixed', length: 8 }, '0123456789ABCDEF', 'field 9: expected a Buffer (b), got a string'],
    ['short b fixed', { type: 'b', encoding: 'binary', lengthType: 'fixed', length: 8 }, Buffer.alloc(7), 'field 9: expected exactly 8 bytes, got 7'],
    ['long b', { type: 'b', encoding: 'binary', lengthType: 'llvar', length: 16, prefix: 'bcd' }, Buffer.alloc(17), 'field 9: expected at most 16 bytes, got 17'],
    ['control char in ans', { type: 'ans', encoding: 'ascii', lengthType: 'llvar', length: 25 }, 'A\nB', 'field 9: expected printable ASCII (ans), got "\\n" at position 1'],
    ['non-ASCII in ans', { type: 'ans', encoding: 'ascii', lengthType: 'llvar', length: 25 }, 'café', 'field 9: expected printable ASCII (ans), got "é" at position 3'],
    ['punctuation in an', { type: 'an', encoding: 'ascii', lengthType: 'fixed', length: 2 }, 'A-', 'field 9: expected letters, digits or space (an), got "-" at position 1'],
    ['letter in z', track2, '123456X25', 'field 9: expected track 2 digits and D or = separator (z), got "X" at position 6'],
  ])('%s', (_name, shape, value, message) => {
    const c = codec(shape);
    let caught: unknown;
    try {
      c.size(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IsoError);
    expect((caught as IsoError).message).toBe(message);
    expect((caught as IsoError).field).toBe(9);
  });
});

describe('read errors name the field, the byte offset and what was expected', () => {
  test('truncated fixed BCD', () => {
    const e = readError(codec(nFixedBcd, 4), '1234');
    expect(e.message).toBe('field 4 at byte 0: expected 3 BCD bytes, got 2');
    expect([e.field, e.offset, e.expected, e.got]).toEqual([4, 0, '3 BCD bytes', '2']);
  });

  test('truncated LLVAR data reports the data offset', () => {
    expect(readError(codec(panLL, 2), '1647617390').message).toBe('field 2 at byte 1: expected 8 BCD bytes, got 4');
  });

  test('missing length prefix', () => {
    expect(readError(codec({ ...panLL, lengthType: 'lllvar', length: 999 }, 2), '00').message).toBe(
      'field 2 at byte 0: expected 2-byte BCD length prefix (LLL), got 1 bytes',
    );
  });

  test('length prefix above the maximum', () => {
    const e = readError(codec(panLL, 2), '25' + '00'.repeat(13));
    expect(e.message).toBe('field 2 at byte 0: expected length at most 19 digits, got 25');
  });

  test('length prefix that is not BCD', () => {
    expect(readError(codec(panLL, 2), '1A00').message).toBe('field 2 at byte 0: expected BCD length prefix (LL), got 0x1A');
    expect(readError(codec({ ...panLL, prefix: 'ascii' }, 2), '3A30').message).toBe('field 2 at byte 0: expected ASCII length prefix (LL), got 0x3A');
  });

  test('bad BCD nibble names its byte', () => {
    const e = readError(codec(nFixedBcd, 3), '12A456');
    expect(e.message).toBe('field 3 at byte 1: expected BCD digits 0-9, got 0xA4');
    expect(e.offset).toBe(1);
    expect(readError(codec(track2, 35), '04123E').message).toBe('field 35 at byte 2: expected BCD digits 0-9 or separator D, got 0x3E');
  });

  test('bad character in an ASCII field names its byte', () => {
    expect(readError(codec({ type: 'ans', encoding: 'ascii', lengthType: 'fixed', length: 3 }, 41), '41004F').message).toBe(
      'field 41 at byte 1: expected printable ASCII (ans), got 0x00',
    );
    expect(readError(codec({ type: 'b', encoding: 'ascii', lengthType: 'fixed', length: 1 }, 52), '3047').message).toBe(
      'field 52 at byte 1: expected hex digits (b as hex ASCII), got 0x47',
    );
  });
});
