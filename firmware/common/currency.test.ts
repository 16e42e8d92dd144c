// Currency exponents and amount formatting.
import { currencyExponent, formatMinorUnits, formatMoney, wholeUnits } from './currency';

describe('currency', () => {
  it('formats minor units with the currency decimals', () => {
    expect(formatMoney(1234, 'CNY')).toBe('CNY 12.34');
    expect(formatMoney(5, 'CNY')).toBe('CNY 0.05');
    expect(formatMoney(-5, 'CNY')).toBe('CNY -0.05');
    expect(formatMoney(1234, 'JPY')).toBe('JPY 1234');
    expect(formatMoney(1234, 'KWD')).toBe('KWD 1.234');
    expect(formatMinorUnits(100, 'XYZ')).toBe('1.00');
    expect([currencyExponent('CNY'), currencyExponent('JPY'), currencyExponent('BHD')]).toEqual([2, 0, 3]);
  });

  it('counts whole units (points are one per whole yuan)', () => {
    expect(wholeUnits(1299, 'CNY')).toBe(12);
    expect(wholeUnits(99, 'CNY')).toBe(0);
    expect(wholeUnits(1299, 'JPY')).toBe(1299);
  });
});
