// Payment codes (B扫C): wallet classification at every prefix and length boundary, hostile scans, masking.
import {
  classifyPaymentCode,
  DEFAULT_MAX_SCAN_LENGTH,
  maskPaymentCode,
  PaymentCodeError,
  readPaymentCode,
  sanitizeScan,
  type PaymentCodeErrorCode,
} from './payment-code';

/** A code of `length` digits starting with `prefix`, filled with a repeating digit pattern. */
const code = (prefix: string, length: number) => (prefix + '3141592653589793238462643383').slice(0, length);

function errorOf(fn: () => unknown): PaymentCodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PaymentCodeError) return err;
    throw err;
  }
  throw new Error('expected a PaymentCodeError');
}

describe('classifyPaymentCode', () => {
  it.each([
    ['10', 18, 'wechat'],
    ['13', 18, 'wechat'],
    ['15', 18, 'wechat'],
    ['25', 16, 'alipay'],
    ['28', 18, 'alipay'],
    ['30', 24, 'alipay'],
    ['62', 19, 'unionpay'],
  ])('%s + %d digits is %s', (prefix, length, wallet) => {
    const c = code(prefix, length);
    expect(classifyPaymentCode(c)).toEqual({ wallet, code: c, masked: maskPaymentCode(c) });
  });

  it('classifies the acquirer simulator magic codes (ending 0000, 0001, 0002, 0051, 0091)', () => {
    for (const tail of ['0000', '0001', '0002', '0051', '0091']) {
      expect(classifyPaymentCode('13456789012345' + tail).wallet).toBe('wechat');
      expect(classifyPaymentCode('28765432109876' + tail).wallet).toBe('alipay');
      expect(classifyPaymentCode('622000000000000' + tail).wallet).toBe('unionpay');
    }
  });

  it.each([
    ['WeChat Pay 17 digits', code('13', 17), 'wrong-length', 'a code starting 13 is WeChat Pay, which has 18 digits; got 17'],
    ['WeChat Pay 19 digits', code('10', 19), 'wrong-length', 'a code starting 10 is WeChat Pay, which has 18 digits; got 19'],
    ['Alipay 15 digits', code('25', 15), 'wrong-length', 'a code starting 25 is Alipay, which has 16 to 24 digits; got 15'],
    ['Alipay 25 digits', code('30', 25), 'wrong-length', 'a code starting 30 is Alipay, which has 16 to 24 digits; got 25'],
    ['UnionPay 18 digits', code('62', 18), 'wrong-length', 'a code starting 62 is UnionPay, which has 19 digits; got 18'],
    ['prefix 09', code('09', 18), 'unknown-prefix', 'no wallet issues payment codes starting "09"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['prefix 16', code('16', 18), 'unknown-prefix', 'no wallet issues payment codes starting "16"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['prefix 24', code('24', 18), 'unknown-prefix', 'no wallet issues payment codes starting "24"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['prefix 31', code('31', 18), 'unknown-prefix', 'no wallet issues payment codes starting "31"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['prefix 61', code('61', 19), 'unknown-prefix', 'no wallet issues payment codes starting "61"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['a PAN', '4761739001010119', 'unknown-prefix', 'no wallet issues payment codes starting "47"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['one digit', '1', 'unknown-prefix', 'no wallet issues payment codes starting "1"; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
    ['a URL', 'wxp://f2f0abc', 'not-digits', 'expected a payment code of digits only, got "w" at position 0'],
    ['a space inside', '1345 6789012345000', 'not-digits', 'expected a payment code of digits only, got " " at position 4'],
    ['empty', '', 'unknown-prefix', 'no wallet issues payment codes starting ""; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62'],
  ])('refuses %s', (_what, input, errCode, message) => {
    const err = errorOf(() => classifyPaymentCode(input));
    expect([err.code, err.message]).toEqual([errCode, message]);
  });

  it('never puts more than the first two digits of a refused code in the message', () => {
    for (const c of [code('13', 17), code('30', 25), code('99', 18), code('62', 20)]) {
      expect(errorOf(() => classifyPaymentCode(c)).message).not.toContain(c.slice(0, 6));
    }
  });
});

describe('sanitizeScan', () => {
  it('returns a clean code unchanged, and strips a configured prefix and suffix', () => {
    expect(sanitizeScan('134567890123450000')).toBe('134567890123450000');
    expect(sanitizeScan('\u0002134567890123450000\u0003', { prefix: '\u0002', suffix: '\u0003' })).toBe('134567890123450000');
    expect(sanitizeScan('QR:134567890123450000\r\n', { prefix: 'QR:', suffix: '\r\n' })).toBe('134567890123450000');
  });

  it('bounds the input length, prefix and suffix included (default 64)', () => {
    expect(DEFAULT_MAX_SCAN_LENGTH).toBe(64);
    expect(sanitizeScan('1'.repeat(64))).toBe('1'.repeat(64));
    expect(sanitizeScan('P' + '1'.repeat(8) + 'S', { prefix: 'P', suffix: 'S', maxLength: 10 })).toBe('1'.repeat(8));
    const err = errorOf(() => sanitizeScan('P' + '1'.repeat(9) + 'S', { prefix: 'P', suffix: 'S', maxLength: 10 }));
    expect([err.code, err.message]).toEqual(['overlong', 'scan of 11 characters exceeds the maximum 10']);
    expect(errorOf(() => sanitizeScan('1'.repeat(100_000))).code).toBe('overlong');
  });

  it.each<[string, string, { prefix?: string; suffix?: string }, PaymentCodeErrorCode, string]>([
    ['missing prefix', '134567890123450000', { prefix: 'QR:' }, 'prefix-missing', 'scan does not start with the configured prefix'],
    ['missing suffix', 'QR:134567890123450000', { prefix: 'QR:', suffix: '\r' }, 'suffix-missing', 'scan does not end with the configured suffix'],
    ['only the framing', 'QR:\r', { prefix: 'QR:', suffix: '\r' }, 'empty', 'scan holds no code'],
    ['empty input', '', {}, 'empty', 'scan holds no code'],
    ['trailing CR with no suffix configured', '134567890123450000\r', {}, 'control-character', 'control character 0x0D at position 18'],
    ['NUL', '1345\u00006789', {}, 'control-character', 'control character 0x00 at position 4'],
    ['ESC sequence', '\u001b[2J134567890123450000', {}, 'control-character', 'control character 0x1B at position 0'],
    ['DEL', '13456\u007f', {}, 'control-character', 'control character 0x7F at position 5'],
    ['C1 control', '13\u0085', {}, 'control-character', 'control character 0x85 at position 2'],
    ['GS (allowed by the driver for GS1, not here)', '13\u001d45', {}, 'control-character', 'control character 0x1D at position 2'],
    ['full-width digit', '１34567890123450000', {}, 'non-ascii', 'non-ASCII character U+FF11 at position 0'],
    ['accented letter after a prefix', 'QR:13é', { prefix: 'QR:' }, 'non-ascii', 'non-ASCII character U+00E9 at position 5'],
    ['emoji', '13😀', {}, 'non-ascii', 'non-ASCII character U+1F600 at position 2'],
  ])('refuses %s', (_what, input, options, errCode, message) => {
    const err = errorOf(() => sanitizeScan(input, options));
    expect([err.code, err.message]).toEqual([errCode, message]);
  });

  it('throws synchronously on bad options or a non-string input (programming errors)', () => {
    expect(() => sanitizeScan('1', { maxLength: 0 })).toThrow(RangeError);
    expect(() => sanitizeScan('1', { maxLength: 1.5 })).toThrow('expected maxLength to be an integer 1-8192, got 1.5');
    expect(() => sanitizeScan('1', { prefix: 5 as unknown as string })).toThrow(TypeError);
    expect(() => sanitizeScan(undefined as unknown as string)).toThrow('sanitizeScan: expected a string, got undefined');
  });
});

describe('maskPaymentCode', () => {
  it('keeps the first 4 and last 4 characters', () => {
    expect(maskPaymentCode('134567890123450000')).toBe('1345**********0000');
    expect(maskPaymentCode('6220000000000000091')).toBe('6220***********0091');
    expect(maskPaymentCode('123456789')).toBe('1234*6789');
  });

  it('masks a code of 8 characters or fewer entirely', () => {
    expect([maskPaymentCode('12345678'), maskPaymentCode('1'), maskPaymentCode('')]).toEqual(['********', '*', '']);
  });
});

describe('readPaymentCode', () => {
  it('sanitises and classifies one scan', () => {
    expect(readPaymentCode('QR:287654321098760051\r', { prefix: 'QR:', suffix: '\r' })).toEqual({
      ok: true,
      paymentCode: { wallet: 'alipay', code: '287654321098760051', masked: '2876**********0051' },
    });
  });

  it('returns the refusal instead of throwing, for the rescan prompt', () => {
    const r = readPaymentCode('4761739001010119');
    expect(r.ok).toBe(false);
    expect(!r.ok && [r.error.code, r.error instanceof PaymentCodeError]).toEqual(['unknown-prefix', true]);
    const hostile = readPaymentCode('\u001b]0;pwned\u0007');
    expect(!hostile.ok && hostile.error.code).toBe('control-character');
  });

  it('still throws for bad options', () => {
    expect(() => readPaymentCode('1', { maxLength: -1 })).toThrow(RangeError);
  });
});
