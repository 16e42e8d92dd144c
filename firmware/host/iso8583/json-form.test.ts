// JSON form of messages: b fields as hex (optional "hex:" prefix), { value } entries from describe, and clear errors.
import { defaultSpec, Iso8583Codec, IsoError, messageFromJson, messageToJson } from './index';

function jsonError(raw: unknown): IsoError {
  try {
    messageFromJson(raw, defaultSpec);
  } catch (err) {
    expect(err).toBeInstanceOf(IsoError);
    return err as IsoError;
  }
  throw new Error('expected IsoError');
}

test('b fields from hex, with or without the hex: prefix; text fields as given', () => {
  const msg = messageFromJson({ mti: '0200', fields: { '2': '4761739001010119', '52': 'hex:0123456789abcdef', '53': 'FFFF9876543210E00001' } }, defaultSpec);
  expect(msg).toEqual({
    mti: '0200',
    fields: { 2: '4761739001010119', 52: Buffer.from('0123456789ABCDEF', 'hex'), 53: Buffer.from('FFFF9876543210E00001', 'hex') },
  });
});

test('reads describe(..., { reveal: true }) output back', () => {
  const codec = new Iso8583Codec(defaultSpec);
  const msg = { mti: '0200', fields: { 2: '4761739001010119', 35: '4761739001010119D2212', 52: Buffer.alloc(8, 0xab) } };
  expect(messageFromJson(codec.describe(msg, { reveal: true }), defaultSpec)).toEqual(msg);
});

test('messageToJson writes b fields as upper-case hex and round trips', () => {
  const msg = { mti: '0210', fields: { 39: '00', 64: Buffer.from('0102030405060a0b', 'hex') } };
  expect(messageToJson(msg)).toEqual({ mti: '0210', fields: { '39': '00', '64': '0102030405060A0B' } });
  expect(messageFromJson(messageToJson(msg), defaultSpec)).toEqual(msg);
});

test.each<[string, unknown, string]>([
  ['not an object', [], 'message: expected a JSON object { "mti", "fields" }, got an array'],
  ['MTI not a string', { mti: 200, fields: {} }, 'MTI: expected a string of 4 digits, got a number'],
  ['fields missing', { mti: '0200' }, 'message: expected "fields" as an object, got undefined'],
  ['bad field key', { mti: '0200', fields: { '02': '1' } }, 'message: expected field numbers 2-128, got field key "02"'],
  ['field not in spec', { mti: '0200', fields: { '5': '1' } }, 'field 5: expected a field defined in spec "posfw-default", got a value for an undefined field'],
  ['number value', { mti: '0200', fields: { '4': 1000 } }, 'field 4: expected a string, got a number'],
  ['odd hex', { mti: '0200', fields: { '52': 'hex:012' } }, 'field 52: expected hex bytes (b field), an even number of hex digits, got 3 digits'],
  ['bad hex digit', { mti: '0200', fields: { '52': '01234567890ABCDG' } }, 'field 52: expected hex bytes (b field), got "G" at position 15'],
])('%s', (_name, raw, message) => {
  expect(jsonError(raw).message).toBe(message);
});
