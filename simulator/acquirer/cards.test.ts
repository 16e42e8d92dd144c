// Unit tests of the simulator's test cards: Luhn, track 2 parsing, expiry, special cards, magic amounts.
import { cardProfile, DEFAULT_PIN, isExpired, luhnValid, magicResponse, parseTrack2, SPECIAL_CARDS } from './cards';

test('Luhn: published valid numbers pass, a changed digit fails, non-digits and bad lengths fail', () => {
  expect(luhnValid('4111111111111111')).toBe(true);
  expect(luhnValid('5500000000000004')).toBe(true);
  expect(luhnValid('4761739001010010')).toBe(true);
  expect(luhnValid('4111111111111112')).toBe(false);
  expect(luhnValid('41111111111')).toBe(false);
  expect(luhnValid('4111-1111-1111-1111')).toBe(false);
});

test('every special card is Luhn-valid and distinct; other cards are good cards with PIN 1234', () => {
  for (const c of SPECIAL_CARDS) expect(luhnValid(c.pan)).toBe(true);
  expect(new Set(SPECIAL_CARDS.map((c) => c.pan)).size).toBe(SPECIAL_CARDS.length);
  expect(cardProfile('4761739001010010')).toMatchObject({ pin: DEFAULT_PIN, behaviour: 'normal', openingBalance: 100_000_000 });
  expect(cardProfile('4000000000000036').pin).toBe('4321');
  expect(cardProfile('4000000000000044').openingBalance).toBe(1_000);
});

test('track 2: PAN and expiry with D or = separators; malformed is undefined', () => {
  expect(parseTrack2('4761739001010010D30122010000000000000')).toEqual({ pan: '4761739001010010', expiry: '3012' });
  expect(parseTrack2('4761739001010010=3012201')).toEqual({ pan: '4761739001010010', expiry: '3012' });
  expect(parseTrack2('4761739001010010D30')).toBeUndefined();
  expect(parseTrack2('D3012201')).toBeUndefined();
});

test('expiry: valid through the end of the month', () => {
  const now = new Date(Date.UTC(2025, 5, 30, 23, 59)); // June 2025
  expect(isExpired('2506', now)).toBe(false);
  expect(isExpired('2505', now)).toBe(true);
  expect(isExpired('3012', now)).toBe(false);
  expect(isExpired('2513', now)).toBe(true);
  expect(isExpired('25', now)).toBe(true);
});

test('magic amounts by the last two minor-unit digits', () => {
  expect([1051, 55, 105, 99_996, 2013, 2000, 2050, 2015].map(magicResponse)).toEqual(['51', '55', '05', '96', '13', undefined, undefined, undefined]);
});
