// Amounts in tag 54: minor units to text and back, per the currency's decimals.
import { amountToMinor, formatAmount } from './emvco-amount';

describe('formatAmount', () => {
  it.each([
    [2372, 2, '23.72'],
    [2370, 2, '23.70'],
    [5, 2, '0.05'],
    [100, 0, '100'],
    [1, 3, '0.001'],
    [123456789012, 2, '1234567890.12'],
    [9999999999999, 0, '9999999999999'],
  ])('%d with %d decimals is %s', (minor, decimals, text) => {
    expect(formatAmount(minor, decimals)).toBe(text);
  });

  it.each([
    [0, 2, 'amountMinor: expected a positive whole number of minor units, got 0'],
    [-5, 2, 'amountMinor: expected a positive whole number of minor units, got -5'],
    [Number.MAX_SAFE_INTEGER + 1, 0, 'amountMinor: expected a positive whole number of minor units, got 9007199254740992'],
    [1, 5, 'currencyDecimals: expected the currency\'s number of decimals (ISO 4217 minor unit, 0-4), got 5'],
    [10000000000000, 0, 'amountMinor (tag 54): amount 10000000000000 has 14 characters; tag 54 holds at most 13'],
  ])('refuses %d with %d decimals', (minor, decimals, message) => {
    expect(() => formatAmount(minor, decimals)).toThrow(expect.objectContaining({ name: 'QrError', code: 'invalid-spec', message }));
  });
});

describe('amountToMinor', () => {
  it.each([
    ['23.72', 2, 2372],
    ['23.7', 2, 2370],
    ['23.', 2, 2300],
    ['23', 2, 2300],
    ['0.05', 2, 5],
    ['1000', 0, 1000],
    ['1.500', 3, 1500],
  ])('%s with %d decimals is %d', (text, decimals, minor) => {
    expect(amountToMinor(text, decimals)).toBe(minor);
  });

  it.each([
    ['23.725', 2, 'tag 54: amount "23.725" has 3 decimals; the currency has 2'],
    ['1.5', 0, 'tag 54: amount "1.5" has 1 decimals; the currency has 0'],
    ['1,000', 2, 'tag 54: expected an amount of digits with an optional "." decimal mark, got "1,000"'],
    ['0.00', 2, 'tag 54: expected an amount other than zero, got "0.00"'],
    ['-1', 2, 'tag 54: expected an amount of digits with an optional "." decimal mark, got "-1"'],
  ])('refuses %s with %d decimals', (text, decimals, message) => {
    expect(() => amountToMinor(text, decimals)).toThrow(expect.objectContaining({ name: 'QrError', code: 'bad-value', message }));
  });

  it('is the inverse of formatAmount', () => {
    for (const decimals of [0, 2, 3]) for (const minor of [1, 9, 10, 99, 100, 2372, 100000, 99999999]) expect(amountToMinor(formatAmount(minor, decimals), decimals)).toBe(minor);
  });
});
