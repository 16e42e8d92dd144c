// Two-digit ID / two-digit length TLV reading and writing: positions in code points, every malformed case.
import { QrError } from './errors';
import { charLength, encodeTlv, readTlvs, tagPath } from './tlv';

const read = (text: string, parent?: string) => {
  const chars = Array.from(text);
  return readTlvs(chars, 0, chars.length, parent);
};

function errorOf(fn: () => unknown): QrError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QrError) return err;
    throw err;
  }
  throw new Error('expected a QrError, got none');
}

describe('readTlvs', () => {
  it('splits data objects and records where each starts', () => {
    expect(read('0002010102125904TEST')).toEqual([
      { tag: '00', value: '01', length: 2, position: 0, valuePosition: 4 },
      { tag: '01', value: '12', length: 2, position: 6, valuePosition: 10 },
      { tag: '59', value: 'TEST', length: 4, position: 12, valuePosition: 16 },
    ]);
  });

  it('counts lengths and positions in characters, not bytes or UTF-16 units', () => {
    const objs = read('0104最佳运输0202北京0302😀!');
    expect(objs.map((o) => [o.tag, o.value, o.position])).toEqual([
      ['01', '最佳运输', 0],
      ['02', '北京', 8],
      ['03', '😀!', 14],
    ]);
  });

  it('reads a sub-range of the payload (a template) with positions in the whole payload', () => {
    const chars = Array.from('62120503***0701T6304ABCD');
    expect(readTlvs(chars, 4, 16, '62')).toEqual([
      { tag: '05', value: '***', length: 3, position: 4, valuePosition: 8 },
      { tag: '07', value: 'T', length: 1, position: 11, valuePosition: 15 },
    ]);
  });

  it.each([
    ['0', undefined, 'truncated', 'at position 0: expected a two-digit ID, got 1 character at the end of the payload'],
    ['0002010', undefined, 'truncated', 'at position 6: expected a two-digit ID, got 1 character at the end of the payload'],
    ['0002015', undefined, 'truncated', 'at position 6: expected a two-digit ID, got 1 character at the end of the payload'],
    ['00020159', undefined, 'truncated', 'tag 59 at position 6: expected a two-digit length after the ID, got 0 of 2 digits at the end of the payload'],
    ['000201591', undefined, 'truncated', 'tag 59 at position 6: expected a two-digit length after the ID, got 1 of 2 digits at the end of the payload'],
    ['0002015A04TEST', undefined, 'bad-tag', 'at position 6: expected a two-digit ID, got "5A"'],
    ['00020159X4TEST', undefined, 'bad-length', 'tag 59 at position 6: expected a two-digit length, got "X4"'],
    ['0002015900', undefined, 'bad-length', 'tag 59 at position 6: length 00: a data object that is present has at least one character'],
    ['0002015905TEST', undefined, 'overrun', 'tag 59 at position 6: length 05 runs past the end of the payload: 4 characters left'],
    ['0503***0705T1', '62', 'overrun', 'tag 62.07 at position 7: length 05 runs past the end of template 62: 2 characters left'],
    ['05 3***', '62', 'bad-length', 'tag 62.05 at position 0: expected a two-digit length, got " 3"'],
    ['+503***', '62', 'bad-tag', 'tag 62 at position 0: expected a two-digit ID, got "+5"'],
  ])('refuses %j (parent %s): %s', (text, parent, code, message) => {
    const err = errorOf(() => read(text, parent));
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
  });
});

describe('encodeTlv', () => {
  it('writes ID, two-digit length in characters, value', () => {
    expect(encodeTlv('59', 'BEST TRANSPORT')).toBe('5914BEST TRANSPORT');
    expect(encodeTlv('01', '最佳运输')).toBe('0104最佳运输');
    expect(encodeTlv('07', 'T')).toBe('0701T');
    expect(encodeTlv('62', 'x'.repeat(99))).toBe('6299' + 'x'.repeat(99));
  });

  it.each([
    ['5', 'A', 'bad-tag', 'expected a two-digit ID, got "5"'],
    ['59', '', 'bad-length', 'tag 59: a data object needs at least one character'],
    ['62', 'x'.repeat(100), 'too-long', 'tag 62: value of 100 characters does not fit a two-digit length (at most 99)'],
  ])('refuses ID %j with a value of %#', (tag, value, code, message) => {
    const err = errorOf(() => encodeTlv(tag, value));
    expect([err.code, err.message]).toEqual([code, message]);
  });
});

describe('helpers', () => {
  it('charLength counts code points', () => {
    expect([charLength(''), charLength('abc'), charLength('北京'), charLength('😀')]).toEqual([0, 3, 2, 1]);
  });

  it('tagPath joins template and ID', () => {
    expect([tagPath(undefined, '59'), tagPath('62', '07')]).toEqual(['59', '62.07']);
  });
});
