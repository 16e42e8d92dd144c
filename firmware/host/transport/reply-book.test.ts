// Reply matching rules: response MTIs, field text, bounded books.
import { BoundedMap, fieldText, matchKey, responseMtiFor } from './reply-book';

describe('responseMtiFor', () => {
  it('adds 10 and answers repeats with the plain response', () => {
    expect(['0100', '0200', '0220', '0221', '0320', '0400', '0401', '0420', '0500', '0800', '1200'].map(responseMtiFor)).toEqual([
      '0110', '0210', '0230', '0230', '0330', '0410', '0410', '0430', '0510', '0810', '1210',
    ]);
  });

  it('refuses responses and malformed MTIs', () => {
    expect(() => responseMtiFor('0210')).toThrow('request.mti: expected a request or advice MTI (xx0x or xx2x), got 0210');
    expect(() => responseMtiFor('200')).toThrow('request.mti: expected 4 digits, got "200"');
  });
});

describe('fieldText / matchKey', () => {
  it('reads binary fields as latin1 and absent ones as empty', () => {
    expect(fieldText(Buffer.from('TERM0001'))).toBe('TERM0001');
    expect(fieldText(undefined)).toBe('');
    expect(matchKey('T1', '000001', '0210')).not.toBe(matchKey('T1', '000001', '0410'));
  });
});

describe('BoundedMap', () => {
  it('evicts the oldest entry past capacity and returns it', () => {
    const m = new BoundedMap<string, number>(2);
    expect(m.set('a', 1)).toBeUndefined();
    m.set('b', 2);
    m.set('a', 3); // refresh: a is now the newest
    expect(m.set('c', 4)).toEqual(['b', 2]);
    expect(m.take('a')).toBe(3);
    expect(m.take('a')).toBeUndefined();
    expect(m.size).toBe(1);
    expect(() => new BoundedMap(0)).toThrow('capacity: expected a positive integer, got 0');
  });
});
