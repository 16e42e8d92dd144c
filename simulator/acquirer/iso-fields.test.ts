// Unit tests of the host message profile's field formats: MTIs, 54, 61, 63, 90, RRN, auth code, BDK option.
import { parseBdkOption, resolveBdks, TEST_BDKS } from './bdk';
import { formatBalance, formatTotals, hostDateTime, makeAuthCode, makeRrn, parseOriginalData, parseOriginalElements, parseTotals, responseMti } from './iso-fields';

test('response MTI: requests, advices and repeats answered; responses not', () => {
  expect(['0200', '0100', '0220', '0221', '0400', '0401', '0500', '0320', '0800', '0820'].map(responseMti)).toEqual(['0210', '0110', '0230', '0230', '0410', '0410', '0510', '0330', '0810', '0830']);
  expect(['0210', '0410', '0230', '0202', '02', 'abcd'].map(responseMti)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('field 61 and field 90', () => {
  expect(parseOriginalData('0000120000030615')).toEqual({ stan: '000012', batch: '000003', localDate: '0615' });
  expect(parseOriginalData('00001200000306')).toBeUndefined();
  expect(parseOriginalElements(`0200000012061512304500${'0'.repeat(20)}`)).toEqual({ mti: '0200', stan: '000012', transmissionDateTime: '0615123045' });
  expect(parseOriginalElements('0200000012')).toBeUndefined();
});

test('field 63 round trip and field 54', () => {
  const t = { debitCount: 2, debitAmount: 3000, creditCount: 1, creditAmount: 500 };
  expect(formatTotals(t)).toBe('002000000003000001000000000500');
  expect(parseTotals('002000000003000001000000000500')).toEqual(t);
  expect(parseTotals('00200000000300000100000000050')).toBeUndefined();
  expect(formatBalance('156', 123_456)).toBe('1002156C000000123456');
  expect(formatBalance('840', -5)).toBe('1002840D000000000005');
});

test('RRN, host time and auth code formats', () => {
  const now = new Date(Date.UTC(2025, 1, 3, 7, 8, 9)); // 3 Feb 2025 = day 034
  expect(makeRrn(now, 42)).toBe('50340700' + '0042');
  expect(makeRrn(now, 1_000_042)).toBe('503407000042');
  expect(hostDateTime(now)).toBe('0203070809');
  expect(makeAuthCode(() => 0)).toBe('000000');
  expect(makeAuthCode((max) => max - 1)).toBe('ZZZZZZ');
  expect(makeAuthCode()).toMatch(/^[0-9A-Z]{6}$/);
});

test('BDK option: plain hex is TDES; scheme:hex pairs; wrong sizes refused without echoing the key', () => {
  expect(parseBdkOption('0123456789ABCDEFFEDCBA9876543210')).toEqual({ tdes: TEST_BDKS.tdes });
  expect(parseBdkOption(`aes128:${TEST_BDKS.aes128.toString('hex')},tdes:${'11'.repeat(16)}`)).toEqual({ aes128: TEST_BDKS.aes128, tdes: Buffer.alloc(16, 0x11) });
  expect(() => parseBdkOption('aes256:0011')).toThrow('--bdk aes256: expected 64 hex digits, got 4');
  expect(() => parseBdkOption('des:00')).toThrow(/expected HEX or scheme:HEX/);
  expect(resolveBdks(Buffer.alloc(16, 1))).toEqual({ ...TEST_BDKS, tdes: Buffer.alloc(16, 1) });
  expect(() => resolveBdks(Buffer.alloc(8))).toThrow('bdk: expected a 16-byte TDES BDK, got 8 bytes');
  expect(() => resolveBdks({ aes256: Buffer.alloc(16) })).toThrow('bdk.aes256: expected a 32-byte Buffer');
});
