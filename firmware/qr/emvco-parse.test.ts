// Every refusal of the merchant-presented QR decoder: typed code, tag, position and an exact message.
import { crc16Hex } from './crc16';
import { MAX_PAYLOAD_CHARS, validateMerchantQr } from './emvco-parse';
import { QrError } from './errors';
import { encodeTlv as t } from './tlv';

/** Appends "6304" and the right CRC, so a test reaches the rule it is about. */
const withCrc = (body: string) => body + '6304' + crc16Hex(body + '6304');

const ACCOUNT = t('26', t('00', 'A000000333010108') + t('01', 'M123'));
const BASE = [t('00', '01'), t('01', '12'), ACCOUNT, t('52', '5812'), t('53', '156'), t('54', '23.72'), t('58', 'CN'), t('59', 'SHOP'), t('60', 'BEIJING')];

/** The base payload with data objects replaced (same ID), removed (value null) or appended (new ID). */
function payload(changes: Record<string, string | null> = {}, extra: string[] = []): string {
  const kept = BASE.filter((o) => changes[o.slice(0, 2)] !== null).map((o) => {
    const v = changes[o.slice(0, 2)];
    return typeof v === 'string' ? t(o.slice(0, 2), v) : o;
  });
  const added = Object.entries(changes).filter(([tag, v]) => v !== null && !BASE.some((o) => o.startsWith(tag)));
  return withCrc([...kept, ...added.map(([tag, v]) => t(tag, v as string)), ...extra].join(''));
}

function errorOf(text: string): QrError {
  try {
    validateMerchantQr(text);
  } catch (err) {
    if (err instanceof QrError) return err;
    throw err;
  }
  throw new Error(`expected a QrError for ${text}`);
}

it('accepts the base payload (the cases below each break one rule of it)', () => {
  expect(validateMerchantQr(payload()).map((o) => o.tag)).toEqual(['00', '01', '26', '52', '53', '54', '58', '59', '60', '63']);
});

describe('envelope: tag 00 first, tag 63 last with a matching CRC', () => {
  it.each([
    ['no tag 00', payload({ '00': null }), 'format-indicator', 'tag 01 at position 0: expected tag 00 (Payload Format Indicator) first, got tag 01'],
    ['tag 00 not "01"', payload({ '00': '02' }), 'format-indicator', 'tag 00 at position 0: expected "01", got "02"'],
    ['empty payload', '', 'format-indicator', 'at position 0: expected tag 00 (Payload Format Indicator) first, got an empty payload'],
    ['no CRC', BASE.join(''), 'crc-missing', 'expected tag 63 (CRC) as the last data object, found none'],
    ['lower-case CRC', BASE.join('') + '6304abcd', 'crc-format', 'tag 63 at position 93: expected four upper-case hex digits, got "abcd"'],
    ['CRC of 5 characters', BASE.join('') + '6305ABCDE', 'crc-format', 'tag 63 at position 93: expected four upper-case hex digits, got "ABCDE"'],
  ])('%s', (_what, text, code, message) => {
    const err = errorOf(text);
    expect([err.code, err.message]).toEqual([code, message]);
  });

  it('CRC not last', () => {
    const text = withCrc(BASE.join('')) + t('61', '100000');
    expect(errorOf(text)).toMatchObject({ code: 'crc-not-last', tag: '63', position: 93, message: 'tag 63 at position 93: expected the CRC as the last data object, got tag 61 after it' });
  });

  it('CRC mismatch names expected and found', () => {
    const good = payload();
    const found = good.endsWith('0000') ? '1111' : '0000';
    const err = errorOf(good.slice(0, -4) + found);
    const expected = good.slice(-4);
    expect(err).toMatchObject({ code: 'crc-mismatch', tag: '63', position: 93, expected, found });
    expect(err.message).toBe(`tag 63 at position 93: CRC mismatch: expected ${expected}, found ${found}`);
  });

  it('a bad CRC is reported before a bad field, so corruption reads as corruption', () => {
    const body = BASE.join('').replace('5904SHOP', '5904SH\u00d6P') + '6304';
    const wrong = crc16Hex(body) === 'FFFF' ? '0000' : 'FFFF';
    expect(errorOf(body + wrong).code).toBe('crc-mismatch');
    expect(errorOf(withCrc(body.slice(0, -4))).code).toBe('bad-value');
  });
});

describe('characters and size', () => {
  it.each([
    ['ESC in a value', payload({ '59': 'SH\u001bP' }), 'bad-character', 'at position 80: control character U+001B is not allowed in a payload'],
    ['DEL', payload({ '59': 'SH\u007fP' }), 'bad-character', 'at position 80: control character U+007F is not allowed in a payload'],
    ['C1 control', payload({ '59': 'SH\u0085P' }), 'bad-character', 'at position 80: control character U+0085 is not allowed in a payload'],
    ['lone surrogate', payload({ '59': 'SH\ud800P' }), 'bad-character', 'at position 80: U+D800 is not valid Unicode (a lone surrogate)'],
    ['too long', '0'.repeat(MAX_PAYLOAD_CHARS + 1), 'payload-too-long', `payload of ${MAX_PAYLOAD_CHARS + 1} characters exceeds ${MAX_PAYLOAD_CHARS}`],
  ])('%s', (_what, text, code, message) => {
    const err = errorOf(text);
    expect([err.code, err.message]).toEqual([code, message]);
  });
});

describe('TLV syntax, at the root and inside templates', () => {
  it.each([
    ['length running past the end', BASE.join('') + '5920SHORT', 'overrun', 'tag 59 at position 93: length 20 runs past the end of the payload: 5 characters left'],
    ['non-digit length', BASE.join('') + '61A1X', 'bad-length', 'tag 61 at position 93: expected a two-digit length, got "A1"'],
    ['truncated at the end', BASE.join('') + '630', 'truncated', 'tag 63 at position 93: expected a two-digit length after the ID, got 1 of 2 digits at the end of the payload'],
    ['overrun inside template 62', payload({ '62': '0705T1' }), 'overrun', 'tag 62.07 at position 97: length 05 runs past the end of template 62: 2 characters left'],
    ['length 00 inside template 26', payload({ '26': '0016A0000003330101080100' }), 'bad-length', 'tag 26.01 at position 36: length 00: a data object that is present has at least one character'],
  ])('%s', (_what, text, code, message) => {
    const err = errorOf(text);
    expect([err.code, err.message]).toEqual([code, message]);
  });
});

describe('data objects: duplicates, lengths, formats, mandatory', () => {
  it.each([
    ['duplicate tag', payload({}, [t('59', 'OTHER')]), 'duplicate-tag', 'tag 59 at position 93: duplicate ID; first at position 74'],
    ['duplicate inside a template', payload({ '26': t('00', 'A000000333010108') + t('01', 'M1') + t('01', 'M2') }), 'duplicate-tag', 'tag 26.01 at position 42: duplicate ID; first at position 36'],
    ['name too long', payload({ '59': 'X'.repeat(26) }), 'too-long', 'tag 59 at position 74: Merchant Name: value of 26 characters exceeds the maximum 25'],
    ['city too long', payload({ '60': 'Y'.repeat(16) }), 'too-long', 'tag 60 at position 82: Merchant City: value of 16 characters exceeds the maximum 15'],
    ['GUI too long', payload({ '26': t('00', 'G'.repeat(33)) }), 'too-long', 'tag 26.00 at position 16: Globally Unique Identifier: value of 33 characters exceeds the maximum 32'],
    ['terminal label too long', payload({ '62': t('07', 'T'.repeat(26)) }), 'too-long', 'tag 62.07 at position 97: Terminal Label: value of 26 characters exceeds the maximum 25'],
    ['amount too long', payload({ '54': '12345678901.23' }), 'too-long', 'tag 54 at position 59: Transaction Amount: value of 14 characters exceeds the maximum 13'],
    ['MCC of 3 digits', payload({ '52': '581' }), 'wrong-length', 'tag 52 at position 44: Merchant Category Code: expected exactly 4 characters, got 3'],
    ['currency not digits', payload({ '53': '15A' }), 'bad-value', 'tag 53 at position 52: Transaction Currency: expected digits (format N), got "A" at character 2'],
    ['non-ASCII merchant name', payload({ '59': 'CAFÉ' }), 'bad-value', 'tag 59 at position 74: Merchant Name: expected printable ASCII (format ans), got U+00C9 at character 3'],
    ['country in lower case', payload({ '58': 'cn' }), 'bad-value', 'tag 58 at position 68: Country Code: expected an ISO 3166-1 alpha-2 code (two capital letters), got "cn"'],
    ['amount with a separator', payload({ '54': '1,000.00' }), 'bad-value', 'tag 54 at position 59: Transaction Amount: expected an amount of digits with an optional "." decimal mark, got "1,000.00"'],
    ['zero amount', payload({ '54': '0.00' }), 'bad-value', 'tag 54 at position 59: Transaction Amount: expected an amount other than zero, got "0.00"'],
    ['point of initiation 13', payload({ '01': '13' }), 'bad-value', 'tag 01 at position 6: Point of Initiation Method: expected "11" (static) or "12" (dynamic), got "13"'],
    ['consumer data request repeated', payload({ '62': t('09', 'MM') }), 'bad-value', 'tag 62.09 at position 97: Additional Consumer Data Request: expected one to three of A, M, E, each at most once, got "MM"'],
    ['language code of digits', payload({ '64': t('00', '12') + t('01', 'X') }), 'bad-value', 'tag 64.00 at position 97: Language Preference: expected an ISO 639-1 two-letter code, got "12"'],
    ['percentage of 100', payload({ '55': '03', '57': '100' }), 'bad-value', 'tag 57 at position 99: Value of Convenience Fee Percentage: expected a percentage between 00.01 and 99.99, got "100"'],
  ])('%s', (_what, text, code, message) => {
    const err = errorOf(text);
    expect([err.code, err.message]).toEqual([code, message]);
  });

  it.each([
    ['merchant name', payload({ '59': null }), 'tag 59: Merchant Name is mandatory, but absent'],
    ['currency', payload({ '53': null }), 'tag 53: Transaction Currency is mandatory, but absent'],
    ['any merchant account', payload({ '26': null }), 'tag 02-51: expected at least one Merchant Account Information (IDs 02-51), found none'],
    ['GUI in a merchant account', payload({ '26': t('01', 'M123') }), 'tag 26.00 at position 12: Globally Unique Identifier is mandatory in template 26, but absent'],
    ['alternate name in template 64', payload({ '64': t('00', 'ZH') }), 'tag 64.01 at position 93: Merchant Name - Alternate Language is mandatory in template 64, but absent'],
    ['GUI in an unreserved template', payload({ '80': t('01', 'x') }), 'tag 80.00 at position 93: Globally Unique Identifier is mandatory in template 80, but absent'],
  ])('missing %s', (_what, text, message) => {
    const err = errorOf(text);
    expect([err.code, err.message]).toEqual(['missing-tag', message]);
  });

  it.each([
    ['fixed fee indicator without tag 56', payload({ '55': '02' }), 'tag 55 at position 93: tip indicator 02 needs tag 56, which is absent'],
    ['percentage without tag 55', payload({ '57': '5' }), 'tag 57 at position 93: present only with tip indicator (tag 55) 03, got no tag 55'],
    ['fixed fee with the prompt indicator', payload({ '55': '01', '56': '1.00' }), 'tag 56 at position 99: present only with tip indicator (tag 55) 02, got "01"'],
  ])('inconsistent: %s', (_what, text, message) => {
    const err = errorOf(text);
    expect([err.code, err.message]).toEqual(['inconsistent', message]);
  });

  it('accepts convenience fees that match the indicator, and RFU IDs 65-79', () => {
    expect(() => validateMerchantQr(payload({ '55': '02', '56': '1.50' }))).not.toThrow();
    expect(() => validateMerchantQr(payload({ '55': '03', '57': '3.5' }))).not.toThrow();
    expect(validateMerchantQr(payload({ '70': 'future' })).find((o) => o.tag === '70')?.name).toBe('RFU for EMVCo');
  });

  it('positions count characters, so a bad field after non-ASCII text is located exactly', () => {
    const text = payload({}, [t('64', t('00', 'ZH') + t('01', '最😀')), t('61', 'É')]);
    expect(text.indexOf('6101É')).toBe(110);
    expect(errorOf(text).message).toBe('tag 61 at position 109: Postal Code: expected printable ASCII (format ans), got U+00C9 at character 0');
  });
});
